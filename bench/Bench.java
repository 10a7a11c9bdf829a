import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes benefit_adjusted events (claimants OH-000001..., amounts with cents) to the hub's
 * exchange with publisher confirms, run after run in one JVM, and times each event from publish to
 * its outcome message. One JVM for every run: a fresh publisher spends its first seconds compiling
 * itself on the cores the hub needs, and those seconds would be charged to the hub.
 *   java -cp target/classes:target/lib/* bench/Bench.java --broker URI --names X --hub-pid PID[,PID...] --work DIR --run LABEL:COUNT:RATE [--run ...]
 * publishes to the exchange X.sync and listens on X.sync.outcomes (the names run.sh gives the hub);
 * RATE is events/s, "max" (as fast as the hub takes them) or "half" (half the last max run's events/s).
 * --hub-pid names one hub, or the hubs of a cluster (their CPU is summed): hub_cpu_cores and
 * hub_cpu_ms_per_event are all of them together; with more than one, cpu_ms_per_event_by_hub
 * gives each hub's share, in the order given (a/b/c).
 * --cpu-of NAME:COMMAND (optional, repeated): NAME_cpu_ms_per_event, the CPU time per event of every
 * process whose /proc/PID/comm is COMMAND (e.g. db:postgres, broker:beam.smp), user + system, with
 * what their exited children had used (a PostgreSQL backend that ended within the run is counted in
 * the postmaster's), read before and after each run.
 * --batch LABEL:BATCH_ID (optional, once per run at most): every event of run LABEL carries
 * "batch_id":BATCH_ID (contract section 1), so the whole run is one batch with one rollback token.
 * Prints one line of key=value results per run on stdout, and while a run goes on a progress line
 * every ~5 s on stderr (published, confirmed, final outcomes so far, final events/s); writes
 * <label>.amounts (id amount) and <label>.trace (id, publish and outcome time in epoch microseconds)
 * into the out dir.
 */
public class Bench {

    static final String USAGE = "java -cp target/classes:target/lib/* bench/Bench.java --broker URI --names X --hub-pid PID[,PID...] --work DIR"
            + " --run LABEL:COUNT:RATE [--run ...] [--batch LABEL:BATCH_ID ...] [--cpu-of NAME:COMMAND ...]";

    public static void main(String[] a) throws Exception {
        Map<String, List<String>> o = options(a, List.of("broker", "names", "hub-pid", "work"), List.of("run"), List.of("batch", "cpu-of"));
        List<String> labels = new ArrayList<>();
        for (String runSpec : o.get("run")) {
            if (!runSpec.matches("[^:]+:[1-9][0-9]*:(max|half|[0-9]+(\\.[0-9]+)?)")) {
                usage("--run " + runSpec + " is not LABEL:COUNT:RATE (RATE events/s, max or half)");
            }
            labels.add(runSpec.split(":")[0]);
        }
        // the runs whose events carry a batch_id (the rules of an id: contract section 1)
        Map<String, String> batches = new HashMap<>();
        for (String batchSpec : o.getOrDefault("batch", List.of())) {
            String[] spec = batchSpec.split(":", 2);
            if (spec.length != 2 || !labels.contains(spec[0]) || !spec[1].matches("(?!\\.)[A-Za-z0-9._-]{1,64}")) {
                usage("--batch " + batchSpec + " is not LABEL:BATCH_ID (LABEL one of the runs, BATCH_ID 1-64 of [A-Za-z0-9._-], not starting with .)");
            }
            if (batches.put(spec[0], spec[1]) != null) {
                usage("--batch names run " + spec[0] + " twice");
            }
        }
        // the other processes whose CPU per event is reported (name -> command), in the order given
        Map<String, String> cpuOf = new java.util.LinkedHashMap<>();
        for (String spec : o.getOrDefault("cpu-of", List.of())) {
            String[] p = spec.split(":", 2);
            if (p.length != 2 || !p[0].matches("[a-z][a-z0-9_]*") || p[1].isEmpty() || cpuOf.put(p[0], p[1]) != null) {
                usage("--cpu-of " + spec + " is not NAME:COMMAND (NAME of [a-z0-9_], each once; COMMAND as /proc/PID/comm shows it)");
            }
        }
        if (!o.get("hub-pid").get(0).matches("[0-9]+(,[0-9]+)*")) {
            usage("--hub-pid " + o.get("hub-pid").get(0) + " is not PID[,PID...]");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(o.get("broker").get(0));
        factory.setVirtualHost("/");
        String exchange = o.get("names").get(0) + ".sync", outcomes = o.get("names").get(0) + ".sync.outcomes";
        List<Path> hubStats = Arrays.stream(o.get("hub-pid").get(0).split(",")).map(pid -> Path.of("/proc", pid, "stat")).toList();
        Path out = Path.of(o.get("work").get(0));
        try (Connection connection = factory.newConnection("hms-bench")) {
            Channel listen = connection.createChannel();
            String queue = listen.queueDeclare().getQueue();
            listen.queueBind(queue, outcomes, "#");
            AtomicReference<Run> current = new AtomicReference<>();
            DeliverCallback onOutcome = (tag, message) -> {
                Run run = current.get();
                if (run != null) {
                    run.outcome(new String(message.getBody(), StandardCharsets.UTF_8), message.getEnvelope().getRoutingKey());
                }
            };
            listen.basicConsume(queue, true, onOutcome, tag -> { });
            Channel publish = connection.createChannel();
            publish.confirmSelect();
            double lastMax = 0;
            for (String runSpec : o.get("run")) {
                String[] spec = runSpec.split(":");
                String label = spec[0];
                int count = Integer.parseInt(spec[1]);
                double rate = switch (spec[2]) {
                    case "max" -> 0;
                    case "half" -> Math.floor(lastMax / 2);
                    default -> Double.parseDouble(spec[2]);
                };
                Run run = new Run(label, count, batches.get(label));
                current.set(run);
                long[] cpuBefore = cpuTicks(hubStats);
                Map<String, Long> othersBefore = new HashMap<>();
                cpuOf.forEach((name, command) -> othersBefore.put(name, commandTicks(command)));
                long busyBefore = machineBusyTicks();
                long switchesBefore = machineContextSwitches();
                run.publish(publish, exchange, rate);
                long[] cpuAfter = cpuTicks(hubStats);
                Map<String, Double> othersSeconds = new java.util.LinkedHashMap<>();
                cpuOf.forEach((name, command) -> othersSeconds.put(name, (commandTicks(command) - othersBefore.get(name)) / TICKS_PER_S));
                long busyAfter = machineBusyTicks();
                long switches = machineContextSwitches() - switchesBefore;
                current.set(null);
                double[] hubSeconds = new double[hubStats.size()];
                for (int h = 0; h < hubSeconds.length; h++) {
                    hubSeconds[h] = (cpuAfter[h] - cpuBefore[h]) / TICKS_PER_S;
                }
                double eventsPerS = run.report(out, rate, hubSeconds, (busyAfter - busyBefore) / TICKS_PER_S,
                        (double) switches / count, othersSeconds);
                if (rate == 0) {
                    lastMax = eventsPerS;
                }
                Thread.sleep(2000); // the hub's last acks and ledger flushes settle before the next run
            }
        }
    }

    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated, List<String> optional) {
        return BenchOptions.parse(USAGE, args, names, repeated, optional);
    }

    static void usage(String problem) {
        BenchOptions.usage(USAGE, problem);
    }

    /**
     * Context switches of the whole machine so far ({@code ctxt} in /proc/stat): every force, HTTP
     * wait and hand-over between threads puts one thread to sleep and wakes another, and on 2
     * shared cores that count tells, more steadily than CPU time, how well work was batched.
     */
    private static long machineContextSwitches() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.startsWith("ctxt "))
                .mapToLong(l -> Long.parseLong(l.substring(5).trim())).findFirst().orElse(0);
    }

    /** /proc counts CPU time in USER_HZ ticks, 100 a second on Linux. */
    private static final double TICKS_PER_S = 100;

    /** Each hub's user + system CPU time so far, in clock ticks. */
    private static long[] cpuTicks(List<Path> stats) throws java.io.IOException {
        long[] ticks = new long[stats.size()];
        for (int h = 0; h < ticks.length; h++) {
            String[] fields = statFields(Files.readString(stats.get(h)));
            ticks[h] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    /** The fields of a /proc/PID/stat line after the command's parentheses: utime is [11], stime [12], cutime [13], cstime [14]. */
    private static String[] statFields(String line) {
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * CPU time so far of every process whose comm is {@code command} (user + system, and that of their
     * children that ended and were waited for), in clock ticks. Processes come and go between two
     * reads (a PostgreSQL backend per connection): one that ended is found again in its parent's
     * children's time, when the parent has the same command (the postmaster); one that started counts
     * from zero.
     */
    private static long commandTicks(String command) {
        long ticks = 0;
        try (var processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path process : processes) {
                try {
                    if (!Files.readString(process.resolve("comm")).strip().equals(command)) {
                        continue;
                    }
                    String[] fields = statFields(Files.readString(process.resolve("stat")));
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended while /proc was read: its parent counts it from now on
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ticks;
    }

    /**
     * CPU time the whole machine spent busy so far (user, nice, system, irq, softirq, steal), in
     * clock ticks: how loaded the shared cores were while the hub's latency was measured.
     */
    private static long machineBusyTicks() throws java.io.IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6])
                + Long.parseLong(cpu[7]) + Long.parseLong(cpu[8]);
    }

    /** Prints each run's progress; a daemon, so it never keeps the program alive. */
    private static final ScheduledExecutorService PROGRESS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "progress");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Run {
        final String label;
        final int count;
        /** The batch_id every event of this run carries, or null. */
        final String batch;
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Map<String, long[]> timed = new ConcurrentHashMap<>();
        final Map<String, String> statuses = new ConcurrentHashMap<>();
        final CountDownLatch all;
        final StringBuilder amounts = new StringBuilder();
        final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        volatile long lastOutcome;
        long start;
        /** Progress so far, for the line on stderr every few seconds. */
        volatile int published;
        final AtomicLong confirmed = new AtomicLong();

        Run(String label, int count, String batch) {
            this.label = label;
            this.count = count;
            this.batch = batch;
            this.all = new CountDownLatch(count);
        }

        void outcome(String body, String status) {
            long now = System.nanoTime();
            int at = body.indexOf("\"id\":\"") + 6;
            String id = body.substring(at, body.indexOf('"', at));
            Long sent = sentAt.get(id);
            if (sent != null && statuses.putIfAbsent(id, status) == null) {
                timed.put(id, new long[] {sent, now});
                lastOutcome = now;
                all.countDown();
            }
        }

        void publish(Channel channel, String exchange, double rate) throws Exception {
            Semaphore window = new Semaphore(2000);
            ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
            var confirms = channel.addConfirmListener((seq, multiple) -> confirmed.addAndGet(release(outstanding, window, seq, multiple)),
                    (seq, multiple) -> { throw new IllegalStateException("broker refused message " + seq); });
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build();
            start = System.nanoTime();
            // a line on stderr every ~5 s while the run goes on (a daemon thread: an error still ends the program)
            ScheduledFuture<?> ticker = PROGRESS.scheduleAtFixedRate(this::progress, 5, 5, TimeUnit.SECONDS);
            for (int i = 1; i <= count; i++) {
                if (rate > 0) {
                    long due = start + (long) ((i - 1) * 1e9 / rate);
                    // sleep, not spin: a spinning publisher would take one of the two cores from the hub
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                String id = label + "-" + String.format("%06d", i);
                String cents = String.format("%d.%02d", 1 + (i * 37) % 500, (i * 13) % 100);
                String event = "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\","
                        + (batch == null ? "" : "\"batch_id\":\"" + batch + "\",") + "\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-"
                        + String.format("%06d", i) + "\",\"delta_usd\":" + cents + "},\"occurred_at\":\"2026-11-27T02:14:11Z\"}";
                amounts.append(id).append(' ').append(cents).append('\n');
                window.acquire();
                outstanding.put(channel.getNextPublishSeqNo(), true);
                sentAt.put(id, System.nanoTime());
                channel.basicPublish(exchange, "benefit_adjusted", persistent, event.getBytes(StandardCharsets.UTF_8));
                published = i;
            }
            channel.waitForConfirmsOrDie(60_000);
            channel.removeConfirmListener(confirms);
            if (!all.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (count - all.getCount()) + " of " + count + " outcomes arrived");
            }
            ticker.cancel(false);
        }

        /** The run so far on stderr (stdout carries only the final run= lines run.sh reads). */
        void progress() {
            long finals = count - all.getCount();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("progress run=%s published=%d confirmed=%d final=%d of %d after %.0f s, %.0f final events/s%n",
                    label, published, confirmed.get(), finals, count, seconds, finals / seconds);
        }

        /** Prints the run's line and writes its files; returns its events/s. */
        double report(Path out, double rate, double[] eachHubCpuSeconds, double machineBusySeconds, double switchesPerEvent,
                      Map<String, Double> othersCpuSeconds) throws java.io.IOException {
            double hubCpuSeconds = Arrays.stream(eachHubCpuSeconds).sum();
            long[] sorted = timed.values().stream().mapToLong(t -> (t[1] - t[0]) / 1000).toArray();
            Arrays.sort(sorted);
            double seconds = (lastOutcome - start) / 1e9;
            long committed = statuses.values().stream().filter("committed"::equals).count();
            // CPU per event in ms: the hubs', the machine's, and each --cpu-of's
            StringBuilder perEvent = new StringBuilder(String.format(" hub_cpu_ms_per_event=%.3f machine_cpu_ms_per_event=%.3f",
                    hubCpuSeconds * 1000 / count, machineBusySeconds * 1000 / count));
            othersCpuSeconds.forEach((name, cpu) -> perEvent.append(String.format(" %s_cpu_ms_per_event=%.3f", name, cpu * 1000 / count)));
            if (eachHubCpuSeconds.length > 1) {
                perEvent.append(" cpu_ms_per_event_by_hub=").append(String.join("/", Arrays.stream(eachHubCpuSeconds)
                        .mapToObj(cpu -> String.format("%.3f", cpu * 1000 / count)).toList()));
            }
            System.out.printf("run=%s events=%d committed=%d seconds=%.2f offered=%s events_per_s=%.0f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f hub_cpu_cores=%.2f machine_busy_cores=%.2f machine_switches_per_event=%.0f%s%s%n",
                    label, count, committed, seconds, rate == 0 ? "max" : String.format("%.0f", rate), count / seconds,
                    sorted[count / 2] / 1000.0, sorted[(int) (count * 0.95)] / 1000.0, sorted[(int) (count * 0.99)] / 1000.0,
                    sorted[count - 1] / 1000.0, hubCpuSeconds / seconds, machineBusySeconds / seconds, switchesPerEvent, perEvent,
                    batch == null ? "" : " batch=" + batch);
            Files.writeString(out.resolve(label + ".amounts"), amounts);
            StringBuilder trace = new StringBuilder();
            timed.forEach((id, t) -> trace.append(id).append(' ').append((t[0] + epochOffsetNanos) / 1000)
                    .append(' ').append((t[1] + epochOffsetNanos) / 1000).append('\n'));
            Files.writeString(out.resolve(label + ".trace"), trace);
            return count / seconds;
        }

        /** Frees the window for the confirmed messages; returns how many they were. */
        private static int release(ConcurrentNavigableMap<Long, Boolean> outstanding, Semaphore window, long seq, boolean multiple) {
            var confirmed = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
            int n = confirmed.size();
            confirmed.clear();
            window.release(n);
            return n;
        }
    }
}
