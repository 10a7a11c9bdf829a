import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * What this machine allows for what the hub does per event, measured with the hub's own parts
 * (Apache HttpClient as camel-http uses it, the RabbitMQ client, MainframeDrop, SyncLedger):
 * <ul>
 * <li>{@code measure}: the ceiling, each part's rate flat out, combined as 1 / sum(cost per event);</li>
 * <li>{@code floor}: the latency floor, a lone event's steps in the hub's order, one at a time;</li>
 * <li>{@code cleanup}: the benchmark's queues and exchanges deleted (cluster mode's partition queues too: HMS_CLUSTER_PARTITIONS of them, default 16).</li>
 * </ul>
 *   java -cp target/classes:target/lib/* bench/Ceiling.java measure --broker URI --names X --work DIR --mainframe-mode per-event|window --vendor-port P --nginx-conf FILE
 *   java -cp target/classes:target/lib/* bench/Ceiling.java floor --broker URI --names X --work DIR --vendor-port P --dashboard-port P --nginx-conf FILE --events N --rate EVENTS_PER_S
 *   java -cp target/classes:target/lib/* bench/Ceiling.java cleanup --broker URI --names X
 */
public class Ceiling {
    static final int THREADS = 32;
    static final List<String> SYSTEMS = List.of("debit-vendor", "dashboard", "mainframe");

    static final String USAGE = "java -cp target/classes:target/lib/* bench/Ceiling.java"
            + " measure --broker URI --names X --work DIR --mainframe-mode per-event|window --vendor-port P --nginx-conf FILE"
            + " | floor --broker URI --names X --work DIR --vendor-port P --dashboard-port P --nginx-conf FILE --events N --rate EVENTS_PER_S"
            + " | cleanup --broker URI --names X";

    public static void main(String[] a) throws Exception {
        String command = a.length == 0 ? "" : a[0];
        String[] rest = Arrays.copyOfRange(a, Math.min(1, a.length), a.length);
        switch (command) {
            case "cleanup" -> {
                Map<String, String> o = once(rest, List.of("broker", "names"));
                cleanup(o.get("broker"), o.get("names"));
            }
            case "floor" -> Floor.report(once(rest, List.of("broker", "names", "work", "vendor-port", "dashboard-port", "nginx-conf", "events", "rate")));
            case "measure" -> ceiling(once(rest, List.of("broker", "names", "work", "mainframe-mode", "vendor-port", "nginx-conf")));
            case "--help" -> System.out.println("usage: " + USAGE);
            default -> usage(command.isEmpty() ? "missing measure, floor or cleanup" : "unknown command " + command);
        }
    }

    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated) {
        return BenchOptions.parse(USAGE, args, names, repeated);
    }

    static void usage(String problem) {
        BenchOptions.usage(USAGE, problem);
    }

    /** Options given once each, by name. */
    static Map<String, String> once(String[] args, List<String> names) {
        Map<String, String> values = new HashMap<>();
        options(args, names, List.of()).forEach((name, given) -> values.put(name, given.get(0)));
        return values;
    }

    static double number(Map<String, String> o, String name) {
        try {
            return Double.parseDouble(o.get(name));
        } catch (NumberFormatException e) {
            usage("--" + name + " " + o.get(name) + " is not a number");
            return 0;
        }
    }

    /** The ceiling: each part's rate flat out (HTTP against the vendor stand-in alone), combined. */
    static void ceiling(Map<String, String> o) throws Exception {
        Path work = Path.of(o.get("work")).resolve("ceiling");
        Files.createDirectories(work);
        String nginxConf = o.get("nginx-conf");
        int vendorPort = (int) number(o, "vendor-port");
        nginx(nginxConf, true);
        double http;
        try {
            http = httpCallsPerSecond(vendorPort, 40_000);
        } finally {
            nginx(nginxConf, false);
        }
        double mq = brokerRoundTripsPerSecond(o.get("broker"), o.get("names") + ".ceiling", 30_000);
        boolean window = o.get("mainframe-mode").equals("window");
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
            return parallel(calls, i -> call(client, port, "/vendor/dry-run", "ceiling-" + i));
        }
    }

    /** One adapter call as camel-http makes it: a small JSON body with its Idempotency-Key; returns the status. */
    static int call(CloseableHttpClient client, int port, String path, String key) throws Exception {
        HttpPost post = new HttpPost("http://127.0.0.1:" + port + path);
        post.setHeader("Idempotency-Key", key);
        post.setEntity(new StringEntity("{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":1.25,\"event_id\":\"" + key + "\"}",
                ContentType.APPLICATION_JSON));
        return client.execute(post, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    /** The nginx stand-ins, started or stopped with the benchmark's configuration. */
    static void nginx(String conf, boolean start) throws Exception {
        List<String> command = new ArrayList<>(List.of("nginx", "-c", conf, "-p", Path.of(conf).getParent().toString()));
        if (!start) {
            command.addAll(List.of("-s", "stop"));
        }
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    static ConnectionFactory broker(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setVirtualHost("/");
        return factory;
    }

    /** The per-system lines the hub notes (not waits for) after a phase: the next forced line carries them. */
    static void noteAll(SyncLedger ledger, LedgerLines lines, String id, String action) {
        for (String system : SYSTEMS) {
            ledger.note(lines.system(id, system, action, LedgerLine.SUCCESS, 1, 3L, null));
        }
    }

    static double brokerRoundTripsPerSecond(String uri, String queue, int count) throws Exception {
        try (Connection connection = broker(uri).newConnection()) {
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
        try (org.hmssync.journal.GroupCommitJournal staged = new org.hmssync.journal.GroupCommitJournal(file.resolveSibling("staged.records"), 256, (item, span) -> { });
             org.hmssync.journal.GroupCommitJournal window = new org.hmssync.journal.GroupCommitJournal(file, 256, (item, span) -> { })) {
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
                noteAll(ledger, lines, id, LedgerLine.PREPARE);
                ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
                noteAll(ledger, lines, id, LedgerLine.COMMIT);
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
        try (Connection connection = broker(uri).newConnection(); Channel channel = connection.createChannel()) {
            for (String q : List.of(".sync.events", ".sync.dlq", ".ceiling")) {
                channel.queueDelete(names + q);
            }
            // cluster mode's (run.sh --cluster): the partition queues and the exchange that feeds them
            int partitions = Integer.parseInt(System.getenv().getOrDefault("HMS_CLUSTER_PARTITIONS", "16"));
            for (int p = 0; p < partitions; p++) {
                channel.queueDelete(names + ".sync.events.p" + p);
            }
            for (String x : List.of(".sync", ".sync.dlx", ".sync.outcomes", ".sync.partitions")) {
                channel.exchangeDelete(names + x);
            }
        }
    }

    /**
     * The latency floor of the parts alone: one event at a time through the same steps the hub
     * takes, in the same order, with nothing else (no Camel, no lanes, a plain pool for the parallel
     * calls): the event message published and delivered; its events line and received line forced;
     * the two REST prepares and the mainframe's staged file at once; the decision forced; the two
     * REST commits beside the mainframe publish; the final line forced; the outcome published and
     * delivered. Its p99 against the hub's floor run tells how much of a lone event's tail is the
     * hub's and how much this machine's disk, broker and scheduler. Per-event mainframe mode.
     */
    static final class Floor {

        /** Each step of an event, timed on its own: which part a slow event was slow in. */
        static final String[] STEPS = {"broker_in", "event_and_received_forced", "prepares", "decision_forced", "commits", "final_forced", "broker_out"};
        /** The first events warm the JIT and the connections, as the hub's floor run comes after its others. */
        static final int WARM = 300;

        static void report(Map<String, String> o) throws Exception {
            String nginxConf = o.get("nginx-conf");
            int count = (int) number(o, "events");
            double rate = number(o, "rate");
            int vendorPort = (int) number(o, "vendor-port"), dashboardPort = (int) number(o, "dashboard-port");
            Path work = Files.createDirectories(Path.of(o.get("work")).resolve("floor-parts"));
            nginx(nginxConf, true);
            long[][] steps;
            try {
                steps = measure(o.get("broker"), o.get("names") + ".floor", work, vendorPort, dashboardPort, count, rate);
            } finally {
                nginx(nginxConf, false);
            }
            long[] total = new long[count];
            for (long[] step : steps) {
                for (int i = 0; i < count; i++) {
                    total[i] += step[i];
                }
            }
            Arrays.sort(total);
            System.out.printf("parts_floor events=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", count,
                    total[count / 2] / 1000.0, total[(int) (count * 0.95)] / 1000.0, total[(int) (count * 0.99)] / 1000.0, total[count - 1] / 1000.0);
            StringBuilder parts = new StringBuilder("parts_floor_steps");
            for (int s = 0; s < STEPS.length; s++) {
                long[] t = steps[s];
                Arrays.sort(t);
                parts.append(String.format(" %s_p50/p99_ms=%.2f/%.1f", STEPS[s], t[count / 2] / 1000.0, t[(int) (count * 0.99)] / 1000.0));
            }
            System.out.println(parts);
        }

        /** Each step's time of each counted event, in microseconds: {@code [step][event]}. */
        static long[][] measure(String uri, String queue, Path work, int vendorPort, int dashboardPort, int count, double rate) throws Exception {
            LedgerLines lines = new LedgerLines(java.time.Clock.systemUTC());
            ExecutorService branches = Executors.newFixedThreadPool(4);
            try (Connection connection = broker(uri).newConnection();
                 CloseableHttpClient http = HttpClients.custom().setConnectionManager(new PoolingHttpClientConnectionManager()).build();
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
                in.basicConsume(queue + ".in", false, (tag, m) -> delivered.add(m.getEnvelope().getDeliveryTag()), tag -> { });
                out.basicConsume(queue + ".out", true, (tag, m) -> announced.add(System.nanoTime()), tag -> { });
                Channel publisher = connection.createChannel();
                publisher.confirmSelect();
                AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
                byte[] body = new byte[220];
                long[][] steps = new long[STEPS.length][count];
                long start = System.nanoTime();
                for (int i = -WARM; i < count; i++) {
                    long due = start + (long) ((i + WARM) * 1e9 / rate);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    String id = "floor-" + (i + WARM);
                    long[] at = new long[STEPS.length + 1];
                    at[0] = System.nanoTime();
                    publisher.basicPublish("", queue + ".in", persistent, body);
                    long tag = delivered.take();
                    at[1] = System.nanoTime();
                    events.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                    ledger.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                    at[2] = System.nanoTime();
                    phase(branches, () -> call(http, vendorPort, "/vendor/dry-run", id), () -> call(http, dashboardPort, "/dashboard/dry-run", id),
                            () -> drop.stage(id, file), true);
                    noteAll(ledger, lines, id, LedgerLine.PREPARE);
                    at[3] = System.nanoTime();
                    ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
                    at[4] = System.nanoTime();
                    phase(branches, () -> call(http, vendorPort, "/vendor", id), () -> call(http, dashboardPort, "/dashboard", id),
                            () -> drop.publish(id), false);
                    noteAll(ledger, lines, id, LedgerLine.COMMIT);
                    at[5] = System.nanoTime();
                    ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
                    at[6] = System.nanoTime();
                    publisher.basicPublish("", queue + ".out", null, body);
                    in.basicAck(tag, false);
                    at[7] = announced.take();
                    for (int s = 0; i >= 0 && s < STEPS.length; s++) {
                        steps[s][i] = (at[s + 1] - at[s]) / 1000;
                    }
                }
                publisher.waitForConfirmsOrDie(10_000);
                in.queueDelete(queue + ".in");
                out.queueDelete(queue + ".out");
                return steps;
            } finally {
                branches.shutdown();
                branches.awaitTermination(5, TimeUnit.SECONDS);
            }
        }

        interface Step {
            void run() throws Exception;
        }

        interface Call {
            int status() throws Exception;
        }

        /**
         * The two REST calls on the pool and the mainframe step beside them: on the pool too at
         * prepare (the hub waits for every prepare under a deadline), on this thread at commit (as
         * the hub runs its last commit).
         */
        static void phase(ExecutorService pool, Call vendor, Call dashboard, Step mainframe, boolean mainframeOnPool) throws Exception {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (Call rest : List.of(vendor, dashboard)) {
                calls.add(CompletableFuture.runAsync(() -> unchecked(() -> {
                    if (rest.status() != 200) {
                        throw new IllegalStateException("a stand-in did not answer 200");
                    }
                }), pool));
            }
            if (mainframeOnPool) {
                calls.add(CompletableFuture.runAsync(() -> unchecked(mainframe), pool));
            } else {
                mainframe.run();
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }

        static void unchecked(Step step) {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
