import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The ceiling of this machine for what the hub does per event, measured with the hub's own parts
 * (Apache HttpClient as camel-http uses it, the RabbitMQ client, MainframeDrop, SyncLedger) and
 * combined as 1 / sum(cost per event).
 *   java -cp target/classes:target/lib/* Ceiling.java measure <amqp uri> <names> <dir> <mode> <vendor port> <dashboard port> <nginx.conf>
 */
public class Ceiling {
    static final int THREADS = 32;

    public static void main(String[] a) throws Exception {
        if (a[0].equals("cleanup")) {
            cleanup(a[1], a[2]);
            return;
        }
        Path work = Path.of(a[3]).resolve("ceiling");
        Files.createDirectories(work);
        String nginxConf = a[7];
        new ProcessBuilder("nginx", "-c", nginxConf, "-p", Path.of(nginxConf).getParent().toString()).inheritIO().start().waitFor();
        double http;
        try {
            http = httpCallsPerSecond(Integer.parseInt(a[5]), 40_000);
        } finally {
            new ProcessBuilder("nginx", "-c", nginxConf, "-p", Path.of(nginxConf).getParent().toString(), "-s", "stop").start().waitFor();
        }
        double mq = brokerRoundTripsPerSecond(a[1], a[2] + ".ceiling", 30_000);
        boolean window = a[4].equals("window");
        double mainframe = window ? windowAppendsPerSecond(work.resolve("window.records"), 20_000)
                : mainframeFilesPerSecond(work.resolve("mainframe"), 10_000);
        double ledger = ledgerEventsPerSecond(work, 20_000);
        // per event: 2 REST systems x (prepare + commit); the event message in and its outcome out;
        // one mainframe file staged and published; ~10 ledger lines and one events.jsonl line
        double cost = 4 / http + 2 / mq + 1 / mainframe + 1 / ledger;
        System.out.printf("http_calls_per_s=%.0f broker_msgs_per_s=%.0f mainframe_" + (window ? "window_events" : "files") + "_per_s=%.0f ledger_events_per_s=%.0f ceiling_events_per_s=%.0f%n",
                http, mq, mainframe, ledger, 1 / cost);
    }

    static double httpCallsPerSecond(int port, int calls) throws Exception {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(THREADS * 2);
        pool.setDefaultMaxPerRoute(THREADS * 2);
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).build()) {
            return parallel(calls, i -> {
                HttpPost post = new HttpPost("http://127.0.0.1:" + port + "/vendor/dry-run");
                post.setHeader("Idempotency-Key", "ceiling-" + i);
                post.setEntity(new StringEntity("{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":1.25,\"event_id\":\"c\"}", ContentType.APPLICATION_JSON));
                client.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
            });
        }
    }

    static double brokerRoundTripsPerSecond(String uri, String queue, int count) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setVirtualHost("/");
        try (Connection connection = factory.newConnection()) {
            Channel consumer = connection.createChannel();
            consumer.queueDeclare(queue, true, false, false, java.util.Map.of("x-queue-type", System.getenv().getOrDefault("HMS_RABBITMQ_QUEUE_TYPE", "classic")));
            consumer.basicQos(500);
            CountDownLatch all = new CountDownLatch(count);
            consumer.basicConsume(queue, false, (tag, m) -> {
                consumer.basicAck(m.getEnvelope().getDeliveryTag(), false);
                all.countDown();
            }, tag -> { });
            Channel publisher = connection.createChannel();
            publisher.confirmSelect();
            byte[] body = new byte[220];
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                publisher.basicPublish("", queue, persistent, body);
                if (i % 500 == 499) {
                    publisher.waitForConfirmsOrDie(30_000);
                }
            }
            publisher.waitForConfirmsOrDie(30_000);
            all.await(5, TimeUnit.MINUTES);
            double rate = count / ((System.nanoTime() - start) / 1e9);
            consumer.queueDelete(queue);
            return rate;
        }
    }

    static double mainframeFilesPerSecond(Path root, int count) throws Exception {
        MainframeDrop drop = new MainframeDrop(root);
        byte[] file = ("H" + " ".repeat(79) + "\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
        return parallel(count, i -> {
            drop.stage("c" + i, file);
            drop.publish("c" + i);
        });
    }

    /**
     * Window mode: per event, the record group-committed to the staged journal at prepare and to
     * the window journal at commit (the file itself is per window).
     */
    static double windowAppendsPerSecond(Path file, int count) throws Exception {
        String record = "D" + " ".repeat(79);
        try (org.hmssync.ledger.GroupCommitJournal staged = new org.hmssync.ledger.GroupCommitJournal(file.resolveSibling("staged.records"), 256, (item, span) -> { });
             org.hmssync.ledger.GroupCommitJournal window = new org.hmssync.ledger.GroupCommitJournal(file, 256, (item, span) -> { })) {
            return parallel(count, i -> {
                staged.appendDurably("? c" + i + " " + record, null);
                window.appendDurably("+ c" + i + " " + record, null);
                staged.append("x c" + i, null);
            });
        }
    }

    static double ledgerEventsPerSecond(Path dir, int count) throws Exception {
        LedgerLines lines = new LedgerLines(java.time.Clock.systemUTC());
        try (SyncLedger ledger = new SyncLedger(dir.resolve("ledger.jsonl"), 256, 10_000, HubJson.mapper());
             SyncLedger events = new SyncLedger(dir.resolve("events.jsonl"), 256, 10_000, HubJson.mapper())) {
            return parallel(count, i -> {
                String id = "c" + i;
                events.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                ledger.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                // as the hub writes them: votes and per-system results noted, the lines that
                // act on them (decision, final status) waited for
                for (String s : List.of("debit-vendor", "dashboard", "mainframe")) {
                    ledger.note(lines.system(id, s, LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 3L, null));
                }
                ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
                for (String s : List.of("debit-vendor", "dashboard", "mainframe")) {
                    ledger.note(lines.system(id, s, LedgerLine.COMMIT, LedgerLine.SUCCESS, 1, 3L, null));
                }
                ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
            });
        }
    }

    interface Task {
        void run(int i) throws Exception;
    }

    static double parallel(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.run((int) i);
                }
                return null;
            }));
        }
        for (var w : workers) {
            w.get();
        }
        pool.shutdown();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    static void cleanup(String uri, String names) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setVirtualHost("/");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            for (String q : List.of(".sync.events", ".sync.dlq", ".ceiling")) {
                channel.queueDelete(names + q);
            }
            for (String x : List.of(".sync", ".sync.dlx", ".sync.outcomes")) {
                channel.exchangeDelete(names + x);
            }
        }
    }
}
