package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TcpProxy;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker misbehaves (down at start, connection cut mid-flight) and the hub dies mid-event. */
class BrokerFaultIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestBroker.Names names;
    TcpProxy proxy;
    Connection connection;
    Channel channel;

    @BeforeEach
    void setUp() throws Exception {
        names = TestBroker.Names.unique();
        URI broker = TestBroker.parsed();
        proxy = new TcpProxy(broker.getHost(), broker.getPort() == -1 ? 5672 : broker.getPort());
        connection = TestBroker.connect();
        channel = connection.createChannel();
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
        proxy.close();
        names.delete();
    }

    /** The hub's broker URI, through the proxy. */
    String proxiedUri() {
        URI broker = TestBroker.parsed();
        String userInfo = broker.getRawUserInfo() == null ? "guest:guest" : broker.getRawUserInfo();
        String path = broker.getRawPath() == null ? "" : broker.getRawPath();
        return "amqp://" + userInfo + "@127.0.0.1:" + proxy.port() + path;
    }

    @Test
    void theHubStartsWithoutTheBrokerSays503AndDownThenRecoversByItself() throws Exception {
        proxy.refuse();
        Map<String, String> props = new HashMap<>(names.properties(proxiedUri()));
        try (RunningHub hub = RunningHub.start(dir.resolve("data"), props)) {
            var refused = hub.postEvent(event("down-1", "OH", "OH-1", "25"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(RunningHub.json(refused).path("error").asText()).contains("broker");
            var health = hub.get("/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");
            assertThat(hub.ledgerLineCount()).isZero();

            proxy.restore();
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> hub.get("/observe/health").statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> hub.postEvent(event("down-1", "OH", "OH-1", "25")).statusCode() == 202);
            assertThat(hub.awaitFinal("down-1").path("status").asText()).isEqualTo("committed");
        }
    }

    @Test
    void aConnectionCutMidFlightLosesNothingAndAppliesNothingTwice() throws Exception {
        try (FakeRestSystem vendor = new FakeRestSystem()) {
            Map<String, String> props = new HashMap<>(names.properties(proxiedUri()));
            props.put("hms.adapter.debit-vendor.url", vendor.url());
            props.put("hms.prepare-timeout-ms", "10000");   // every event must commit: a GC pause on a loaded CI machine is no "no" vote
            try (RunningHub hub = RunningHub.start(dir.resolve("data"), props)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
                int count = 300;
                List<String> ids = new ArrayList<>();
                channel.confirmSelect();
                for (int i = 0; i < count; i++) {
                    String id = String.format("cut-%03d", i);
                    ids.add(id);
                    channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                            event(id, "OH", "C-" + i, "2.50").getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(30_000);
                for (int cut = 0; cut < 3; cut++) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> hub.ledgerLineCount() > 0);
                    Thread.sleep(300);
                    proxy.cut();
                }
                for (String id : ids) {
                    assertThat(awaitFinal(hub, id).path("status").asText()).as(id).isEqualTo("committed");
                }
                Map<String, Long> received = new HashMap<>();
                for (String line : Files.readAllLines(hub.dataDir().resolve("ledger.jsonl"))) {
                    JsonNode l = JSON.readTree(line);
                    if (l.path("action").asText().equals("received")) {
                        received.merge(l.path("event_id").asText(), 1L, Long::sum);
                    }
                }
                assertThat(received).hasSize(count).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
                assertThat(vendor.total()).isEqualByComparingTo("750.00");
                assertThat(vendor.commitCalls().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                await().atMost(Duration.ofSeconds(30)).until(() -> channel.queueDeclarePassive(names.queue()).getMessageCount() == 0);
            }
            // A stop right after the cuts can hand back deliveries still unacknowledged on a channel
            // the hub had not yet found dead (redeliveries of events already final). The next start
            // answers them from the ledger: nothing is left in the queue and nothing applied again.
            try (RunningHub again = RunningHub.start(dir.resolve("data"), props)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> channel.queueDeclarePassive(names.queue()).getMessageCount() == 0);
                assertThat(again.awaitFinal("cut-299").path("status").asText()).isEqualTo("committed");
            }
            assertThat(vendor.total()).isEqualByComparingTo("750.00");
            assertThat(vendor.commitCalls().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
        assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).as("every message acknowledged").isZero();
    }

    @Test
    void aHubKilledBetweenPrepareAndAcknowledgementFinishesTheEventExactlyOnce() throws Exception {
        try (FakeRestSystem vendor = new FakeRestSystem(); FakeRestSystem dashboard = new FakeRestSystem()) {
            Path data = dir.resolve("data");
            int port = RunningHub.freePort();
            Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
            props.put("hms.simulators.enabled", "false");
            props.put("hms.adapter.debit-vendor.url", vendor.url());
            props.put("hms.adapter.dashboard.url", dashboard.url());
            props.put("hms.prepare-timeout-ms", "20000");
            vendor.delay(Map.of("commit", 60_000L));
            try (HubProcess hub = HubProcess.start(data, port, props)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> hub.get("/observe/health").statusCode() == 200);
                channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                        event("mq-kill", "OH", "OH-1", "25").getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .until(() -> Files.exists(data.resolve("ledger.jsonl"))
                                && Files.readString(data.resolve("ledger.jsonl")).contains("\"action\":\"decision\""));
                hub.kill();
            }
            vendor.healthy();
            String outcomes = channel.queueDeclare().getQueue();
            try (HubProcess hub = HubProcess.start(data, port, props)) {
                channel.queueBind(outcomes, names.outcomes(), "#");
                await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> JSON.readTree(hub.get("/events/mq-kill").body()).path("status").asText().equals("committed"));
                await().atMost(Duration.ofSeconds(30)).until(() -> channel.queueDeclarePassive(names.queue()).getMessageCount() == 0);
                assertThat(hub.terminate()).isZero();
            }
            assertThat(vendor.holds("mq-kill")).isTrue();
            assertThat(dashboard.holds("mq-kill")).isTrue();
            // The dashboard's commit line is written unforced (the final status makes it durable); if the
            // kill came before it reached the disk, recovery commits again with the same Idempotency-Key,
            // which the system applies once. Charged once is the promise; called at most twice is the cost.
            assertThat(dashboard.total()).as("the dashboard was not charged twice").isEqualByComparingTo("25");
            assertThat(dashboard.commitCalls().get("mq-kill").get()).as("recovery repeats at most the one commit in flight").isBetween(1, 2);
            assertThat(vendor.total()).isEqualByComparingTo("25");
            long received = Files.readAllLines(data.resolve("ledger.jsonl")).stream()
                    .filter(l -> l.contains("\"mq-kill\"") && l.contains("\"received\"")).count();
            assertThat(received).isEqualTo(1);
            assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).as("acknowledged once final").isZero();
        }
    }

    private static JsonNode awaitFinal(RunningHub hub, String id) throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> RunningHub.FINAL.contains(RunningHub.json(hub.get("/events/" + id)).path("status").asText()));
        return RunningHub.json(hub.get("/events/" + id));
    }
}
