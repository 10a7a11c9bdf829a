import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.hmssync.adapters.mainframe.MainframeDrop;
import org.hmssync.config.HubJson;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;

/**
 * The latency floor of the parts alone: one event at a time, at 20/s, through the same steps the
 * hub takes, in the same order, with the hub's own parts and nothing else (no Camel, no lanes, a
 * plain pool for the parallel calls): the event message published and delivered; its line in the
 * events file and its received line forced; the two REST prepares and the mainframe's staged file
 * at once; the decision forced; the two REST commits and the mainframe publish at once; the final
 * line forced; the outcome message published and delivered. Its p99 against the hub's floor run
 * tells how much of a lone event's tail is the hub's and how much is this machine's disk, broker
 * and scheduler. Per-event mainframe mode.
 *   java -cp target/classes:target/lib/* Floor.java <amqp uri> <queue prefix> <dir> <vendor port> <dashboard port> <nginx.conf> [events]
 */
public class Floor {

    /** Each step of an event, timed on its own: which part a slow event was slow in. */
    static final String[] STEPS = {"broker_in", "event_and_received_forced", "prepares", "decision_forced", "commits", "final_forced", "broker_out"};
    static long[][] steps;

    public static void main(String[] a) throws Exception {
        String nginxConf = a[5];
        int count = a.length > 6 ? Integer.parseInt(a[6]) : 1000;
        Path work = Files.createDirectories(Path.of(a[2]).resolve("floor-parts"));
        new ProcessBuilder("nginx", "-c", nginxConf, "-p", Path.of(nginxConf).getParent().toString()).inheritIO().start().waitFor();
        try {
            long[] micros = measure(a[0], a[1] + ".floor", work, Integer.parseInt(a[3]), Integer.parseInt(a[4]), count);
            Arrays.sort(micros);
            System.out.printf("parts_floor events=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", count,
                    micros[count / 2] / 1000.0, micros[(int) (count * 0.95)] / 1000.0, micros[(int) (count * 0.99)] / 1000.0,
                    micros[count - 1] / 1000.0);
            StringBuilder parts = new StringBuilder("parts_floor_steps");
            for (int s = 0; s < STEPS.length; s++) {
                long[] t = steps[s];
                Arrays.sort(t);
                parts.append(String.format(" %s_p50/p99_ms=%.2f/%.1f", STEPS[s], t[count / 2] / 1000.0, t[(int) (count * 0.99)] / 1000.0));
            }
            System.out.println(parts);
        } finally {
            new ProcessBuilder("nginx", "-c", nginxConf, "-p", Path.of(nginxConf).getParent().toString(), "-s", "stop").start().waitFor();
        }
    }

    static long[] measure(String uri, String queue, Path work, int vendorPort, int dashboardPort, int count) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setVirtualHost("/");
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        LedgerLines lines = new LedgerLines(java.time.Clock.systemUTC());
        ExecutorService branches = Executors.newFixedThreadPool(4);
        try (Connection connection = factory.newConnection();
             CloseableHttpClient http = HttpClients.custom().setConnectionManager(connections).build();
             SyncLedger events = new SyncLedger(work.resolve("events.jsonl"), 256, 10_000, HubJson.mapper());
             SyncLedger ledger = new SyncLedger(work.resolve("ledger.jsonl"), 256, 10_000, HubJson.mapper())) {
            MainframeDrop drop = new MainframeDrop(work.resolve("mainframe"));
            byte[] file = ("H" + " ".repeat(79) + "\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
            Channel in = connection.createChannel();
            Channel out = connection.createChannel();
            in.queueDeclare(queue + ".in", true, false, true, java.util.Map.of("x-queue-type", "classic"));
            out.queueDeclare(queue + ".out", false, false, true, null);
            LinkedBlockingQueue<Long> delivered = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<Long> announced = new LinkedBlockingQueue<>();
            in.basicConsume(queue + ".in", false, (tag, m) -> {
                delivered.add(m.getEnvelope().getDeliveryTag());
            }, tag -> { });
            out.basicConsume(queue + ".out", true, (tag, m) -> announced.add(System.nanoTime()), tag -> { });
            Channel publisher = connection.createChannel();
            publisher.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            byte[] body = new byte[220];
            // the first events warm the JIT and the connections, as the hub's floor run comes after its others
            int warm = 300;
            long[] micros = new long[count];
            steps = new long[STEPS.length][count];
            long start = System.nanoTime();
            for (int i = -warm; i < count; i++) {
                long due = start + (i + warm) * 50_000_000L;   // 20 events a second
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                String id = "floor-" + (i + warm);
                long t0 = System.nanoTime();
                publisher.basicPublish("", queue + ".in", persistent, body);
                long tag = delivered.take();
                long t1 = System.nanoTime();
                events.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                ledger.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                long t2 = System.nanoTime();
                both(branches, () -> call(http, vendorPort, "/vendor/dry-run", id), () -> call(http, dashboardPort, "/dashboard/dry-run", id),
                        () -> drop.stage(id, file), true);
                for (String s : List.of("debit-vendor", "dashboard", "mainframe")) {
                    ledger.note(lines.system(id, s, LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 1L, null));
                }
                long t3 = System.nanoTime();
                ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
                long t4 = System.nanoTime();
                both(branches, () -> call(http, vendorPort, "/vendor", id), () -> call(http, dashboardPort, "/dashboard", id),
                        () -> drop.publish(id), false);
                for (String s : List.of("debit-vendor", "dashboard", "mainframe")) {
                    ledger.note(lines.system(id, s, LedgerLine.COMMIT, LedgerLine.SUCCESS, 1, 1L, null));
                }
                long t5 = System.nanoTime();
                ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
                long t6 = System.nanoTime();
                publisher.basicPublish("", queue + ".out", null, body);
                in.basicAck(tag, false);
                long t7 = announced.take();
                if (i >= 0) {
                    micros[i] = (t7 - t0) / 1000;
                    long[] at = {t0, t1, t2, t3, t4, t5, t6, t7};
                    for (int s = 0; s < STEPS.length; s++) {
                        steps[s][i] = (at[s + 1] - at[s]) / 1000;
                    }
                }
            }
            publisher.waitForConfirmsOrDie(10_000);
            in.queueDelete(queue + ".in");
            out.queueDelete(queue + ".out");
            return micros;
        } finally {
            branches.shutdown();
            branches.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * The two REST calls on the pool and the mainframe step beside them: on a pool too at prepare
     * (the hub waits for every prepare under a deadline), on this thread at commit (as the hub does).
     */
    static void both(ExecutorService pool, Step vendor, Step dashboard, Step mainframe, boolean allOnPool) throws Exception {
        CompletableFuture<Void> v = CompletableFuture.runAsync(() -> unchecked(vendor), pool);
        CompletableFuture<Void> d = CompletableFuture.runAsync(() -> unchecked(dashboard), pool);
        CompletableFuture<Void> m = allOnPool ? CompletableFuture.runAsync(() -> unchecked(mainframe), pool) : CompletableFuture.completedFuture(null);
        if (!allOnPool) {
            mainframe.run();
        }
        CompletableFuture.allOf(v, d, m).get(10, TimeUnit.SECONDS);
    }

    static void unchecked(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void call(CloseableHttpClient http, int port, String path, String id) throws Exception {
        HttpPost post = new HttpPost("http://127.0.0.1:" + port + path);
        post.setHeader("Idempotency-Key", id);
        post.setEntity(new StringEntity("{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":1.25,\"event_id\":\"" + id + "\"}",
                ContentType.APPLICATION_JSON));
        int code = http.execute(post, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
        if (code != 200) {
            throw new IllegalStateException(path + " answered " + code);
        }
    }
}
