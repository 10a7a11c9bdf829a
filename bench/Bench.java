import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes N benefit_adjusted events (claimants OH-000001..., amounts with cents) to the hub's
 * exchange with publisher confirms, as fast as it takes them or at a fixed rate, and times each one
 * from publish to its outcome message. Prints one line of key=value results.
 *   java -cp <amqp-client> Bench.java <uri> <exchange> <outcomes exchange> <count> <rate|max> <id prefix> <amounts file>
 */
public class Bench {
    public static void main(String[] a) throws Exception {
        String uri = a[0], exchange = a[1], outcomes = a[2], prefix = a[5];
        int count = Integer.parseInt(a[3]);
        double rate = a[4].equals("max") ? 0 : Double.parseDouble(a[4]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setVirtualHost("/");
        try (Connection connection = factory.newConnection("hms-bench")) {
            Channel listen = connection.createChannel();
            String queue = listen.queueDeclare().getQueue();
            listen.queueBind(queue, outcomes, "#");
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long[] latencyMicros = new long[count];
            AtomicLong done = new AtomicLong();
            Map<String, String> statuses = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(count);
            AtomicLong lastOutcome = new AtomicLong();
            DeliverCallback onOutcome = (tag, message) -> {
                long now = System.nanoTime();
                String body = new String(message.getBody(), StandardCharsets.UTF_8);
                int at = body.indexOf("\"id\":\"") + 6;
                String id = body.substring(at, body.indexOf('"', at));
                Long sent = sentAt.get(id);
                if (sent != null && statuses.putIfAbsent(id, message.getEnvelope().getRoutingKey()) == null) {
                    latencyMicros[(int) done.getAndIncrement()] = (now - sent) / 1000;
                    lastOutcome.set(now);
                    all.countDown();
                }
            };
            listen.basicConsume(queue, true, onOutcome, tag -> { });

            Channel publish = connection.createChannel();
            publish.confirmSelect();
            Semaphore window = new Semaphore(2000);
            ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
            publish.addConfirmListener((seq, multiple) -> release(outstanding, window, seq, multiple),
                    (seq, multiple) -> { throw new IllegalStateException("broker refused message " + seq); });
            StringBuilder amounts = new StringBuilder();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").build();
            long start = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                if (rate > 0) {
                    long due = start + (long) ((i - 1) * 1e9 / rate);
                    // sleep, not spin: a spinning publisher would take one of the two cores from the hub
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                String id = prefix + String.format("%06d", i);
                String cents = String.format("%d.%02d", 1 + (i * 37) % 500, (i * 13) % 100);
                String event = "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-"
                        + String.format("%06d", i) + "\",\"delta_usd\":" + cents + "},\"occurred_at\":\"2026-11-27T02:14:11Z\"}";
                amounts.append(id).append(' ').append(cents).append('\n');
                window.acquire();
                outstanding.put(publish.getNextPublishSeqNo(), true);
                sentAt.put(id, System.nanoTime());
                publish.basicPublish(exchange, "benefit_adjusted", persistent, event.getBytes(StandardCharsets.UTF_8));
            }
            publish.waitForConfirmsOrDie(60_000);
            long published = System.nanoTime();
            Files.writeString(Path.of(a[6]), amounts.toString());
            if (!all.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + done.get() + " of " + count + " outcomes arrived");
            }
            long[] sorted = Arrays.copyOf(latencyMicros, count);
            Arrays.sort(sorted);
            double seconds = (lastOutcome.get() - start) / 1e9;
            long committed = statuses.values().stream().filter("committed"::equals).count();
            System.out.printf("events=%d committed=%d seconds=%.2f events_per_s=%.0f publish_per_s=%.0f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                    count, committed, seconds, count / seconds, count / ((published - start) / 1e9),
                    sorted[count / 2] / 1000.0, sorted[(int) (count * 0.95)] / 1000.0, sorted[(int) (count * 0.99)] / 1000.0,
                    sorted[count - 1] / 1000.0);
        }
    }

    private static void release(ConcurrentNavigableMap<Long, Boolean> outstanding, Semaphore window, long seq, boolean multiple) {
        var confirmed = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        int n = confirmed.size();
        confirmed.clear();
        window.release(n);
    }
}
