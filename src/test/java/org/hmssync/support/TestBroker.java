package org.hmssync.support;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The broker the tests use: HMS_TEST_RABBITMQ_URI, else the machine's broker on 127.0.0.1:5672,
 * else a Testcontainers RabbitMQ where a Docker engine exists. None of these is a failure, never
 * a skip. Each test gets names of its own and deletes them afterwards.
 */
public final class TestBroker {

    private static String uri;

    public static synchronized String uri() {
        if (uri == null) {
            uri = locate();
        }
        return uri;
    }

    private static String locate() {
        String configured = System.getenv("HMS_TEST_RABBITMQ_URI");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (reachable("127.0.0.1", 5672)) {
            return "amqp://guest:guest@127.0.0.1:5672/";
        }
        if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            var container = new org.testcontainers.containers.RabbitMQContainer("rabbitmq:3.13-management");
            container.start();
            return container.getAmqpUrl().replace("amqp://", "amqp://guest:guest@") + "/";
        }
        throw new IllegalStateException("no RabbitMQ for the tests: set HMS_TEST_RABBITMQ_URI, start one on "
                + "127.0.0.1:5672 (rabbitmq-server -detached), or provide a Docker engine");
    }

    public static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static URI parsed() {
        return URI.create(uri());
    }

    public static Connection connect() throws Exception {
        ConnectionFactory factory = org.hmssync.broker.BrokerConnections.rabbitFactory(uri());
        return factory.newConnection("hms-sync-test");
    }

    /** Names of the hub's topology for one test, and the properties that give them to the hub. */
    public record Names(String exchange, String queue, String dlx, String dlq, String outcomes) {

        public static Names unique() {
            String run = "t" + UUID.randomUUID().toString().substring(0, 8);
            return new Names(run + ".sync", run + ".sync.events", run + ".sync.dlx", run + ".sync.dlq", run + ".sync.outcomes");
        }

        public Map<String, String> properties(String brokerUri) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("hms.rabbitmq.uri", brokerUri);
            p.put("hms.rabbitmq.exchange", exchange);
            p.put("hms.rabbitmq.queue", queue);
            p.put("hms.rabbitmq.dead-letter-exchange", dlx);
            p.put("hms.rabbitmq.dead-letter-queue", dlq);
            p.put("hms.rabbitmq.outcomes-exchange", outcomes);
            return p;
        }

        public void delete() throws Exception {
            try (Connection connection = connect(); Channel channel = connection.createChannel()) {
                channel.queueDelete(queue);
                channel.queueDelete(dlq);
                channel.exchangeDelete(exchange);
                channel.exchangeDelete(dlx);
                channel.exchangeDelete(outcomes);
                // cluster mode's partition queues and their exchange (deleting one that never was is no error)
                for (int p = 0; p < 64; p++) {
                    channel.queueDelete(queue + ".p" + p);
                }
                channel.exchangeDelete(exchange + ".partitions");
            }
        }
    }

    /** The next message on {@code queue} (taken, acknowledged), waiting up to 30 s for one. */
    public static GetResponse awaitMessage(Channel channel, String queue) {
        GetResponse[] got = new GetResponse[1];
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
            got[0] = channel.basicGet(queue, true);
            return got[0] != null;
        });
        return got[0];
    }

    private TestBroker() {
    }
}
