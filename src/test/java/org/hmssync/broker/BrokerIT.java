package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RabbitMQ in and out against the real broker, the plain Java client as the publisher. */
class BrokerIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    TestBroker.Names names;
    Connection connection;
    Channel channel;
    String outcomes;

    @BeforeEach
    void connect() throws Exception {
        names = TestBroker.Names.unique();
        connection = TestBroker.connect();
        channel = connection.createChannel();
    }

    @AfterEach
    void cleanUp() throws Exception {
        connection.close();
        names.delete();
    }

    RunningHub startHub(Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
        props.putAll(extra);
        RunningHub hub = RunningHub.start(data, props);
        // listen to every outcome, as an operator's dashboard would
        outcomes = channel.queueDeclare().getQueue();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            channel.queueBind(outcomes, names.outcomes(), "#");
            return true;
        });
        return hub;
    }

    void publish(String routingKey, byte[] body, AMQP.BasicProperties props) throws Exception {
        channel.basicPublish(names.exchange(), routingKey, props, body);
    }

    @Test
    void anEventInCommitsRepliesAndAnnouncesItsOutcome() throws Exception {
        try (RunningHub hub = startHub(Map.of())) {
            String replies = channel.queueDeclare().getQueue();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(replies).correlationId("corr-42")
                    .contentType("application/json").deliveryMode(2).build();
            publish("benefit_adjusted", event("mq-1", "OH", "OH-000123", "25").getBytes(StandardCharsets.UTF_8), props);

            GetResponse reply = awaitMessage(replies);
            assertThat(reply.getProps().getCorrelationId()).isEqualTo("corr-42");
            JsonNode status = JSON.readTree(reply.getBody());
            assertThat(status.path("id").asText()).isEqualTo("mq-1");
            assertThat(status.path("status").asText()).isEqualTo("committed");
            assertThat(status.path("systems").path("mainframe").path("commit").asText()).isEqualTo("success");

            GetResponse outcome = awaitMessage(outcomes);
            assertThat(outcome.getEnvelope().getRoutingKey()).isEqualTo("committed");
            assertThat(JSON.readTree(outcome.getBody()).path("id").asText()).isEqualTo("mq-1");
            assertThat(json(hub.get("/sim/debit-vendor/loads")).findValuesAsText("event_id")).containsExactly("mq-1");
            assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).isZero();
        }
        // acknowledged: nothing comes back once the hub's channel is gone
        assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).isZero();
    }

    @Test
    void aFailedEventAnnouncesRolledBackWithItsRoutingKey() throws Exception {
        try (RunningHub hub = startHub(Map.of())) {
            hub.put("/sim/dashboard/mode", "down");
            publish("benefit_adjusted", event("mq-down", "OH", "OH-1", "25").getBytes(StandardCharsets.UTF_8), null);
            // bound with #, the queue also gets the alert of the parking (contract section 4)
            Map<String, JsonNode> byRoutingKey = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                GetResponse message = awaitMessage(outcomes);
                byRoutingKey.put(message.getEnvelope().getRoutingKey(), JSON.readTree(message.getBody()));
            }
            assertThat(byRoutingKey).containsOnlyKeys("rolled_back", "alert.event_parked");
            assertThat(byRoutingKey.get("rolled_back").path("dead_lettered").asBoolean()).isTrue();
            assertThat(byRoutingKey.get("alert.event_parked").path("event_id").asText()).isEqualTo("mq-down");
        }
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithAReasonAndNeverLoop() throws Exception {
        List<byte[]> poison = List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                "{\"id\":\"../../etc/passwd\",\"type\":\"benefit_adjusted\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8),
                "{\"id\":\"ok-id\",\"type\":\"benefit_adjusted\",\"payload\":{\"delta_usd\":1.005}}".getBytes(StandardCharsets.UTF_8),
                ("{\"id\":\"huge\",\"type\":\"t\",\"payload\":{\"n\":\"" + "x".repeat(300_000) + "\"}}").getBytes(StandardCharsets.UTF_8),
                new byte[0]);
        try (RunningHub hub = startHub(Map.of())) {
            for (byte[] body : poison) {
                publish("benefit_adjusted", body, null);
            }
            // consumers run in parallel: the parked order is not the published order
            Map<String, GetResponse> parked = new HashMap<>();
            for (int i = 0; i < poison.size(); i++) {
                GetResponse message = awaitMessage(names.dlq());
                parked.put(new String(message.getBody(), StandardCharsets.UTF_8), message);
            }
            for (byte[] body : poison) {
                GetResponse message = parked.get(new String(body, StandardCharsets.UTF_8));
                assertThat(message).as("parked whole").isNotNull();
                Object reason = message.getProps().getHeaders().get(BrokerPublisher.REASON);
                assertThat(reason).as("reason header").isNotNull();
                assertThat(reason.toString()).hasSizeLessThanOrEqualTo(200).isNotBlank();
                assertThat(message.getProps().getHeaders().get("x-hms-original-routing-key").toString()).isEqualTo("benefit_adjusted");
            }
            assertThat(reasonOf(parked, poison.get(0))).contains("not valid JSON");
            assertThat(reasonOf(parked, poison.get(1))).contains("JSON object");
            assertThat(reasonOf(parked, poison.get(2))).contains("id");
            assertThat(reasonOf(parked, poison.get(3))).contains("payload.delta_usd");
            assertThat(reasonOf(parked, poison.get(4))).contains("262144");
            assertThat(reasonOf(parked, poison.get(5))).contains("empty");
            assertThat(hub.ledgerLineCount()).isZero();
            assertThat(channel.basicGet(names.dlq(), true)).as("each parked once").isNull();
        }
        assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).as("original queue empty").isZero();
    }

    @Test
    void aRepeatedMessageIsAnsweredNotAppliedAgain() throws Exception {
        try (RunningHub hub = startHub(Map.of())) {
            byte[] body = event("mq-twice", "OH", "OH-2", "10").getBytes(StandardCharsets.UTF_8);
            publish("benefit_adjusted", body, null);
            awaitMessage(outcomes);
            String replies = channel.queueDeclare().getQueue();
            publish("benefit_adjusted", body, new AMQP.BasicProperties.Builder().replyTo(replies).correlationId("again").build());
            GetResponse reply = awaitMessage(replies);
            assertThat(JSON.readTree(reply.getBody()).path("status").asText()).isEqualTo("committed");
            assertThat(json(hub.get("/sim/debit-vendor/loads")).findValuesAsText("event_id")).containsExactly("mq-twice");
            assertThat(hub.ledgerOnDisk("mq-twice")).filteredOn(l -> l.path("action").asText().equals("received")).hasSize(1);
            assertThat(channel.basicGet(outcomes, true)).as("one final status, one outcome").isNull();
        }
    }

    @Test
    void httpPostGoesThroughTheBrokerWithConfirms() throws Exception {
        try (RunningHub hub = startHub(Map.of())) {
            var accepted = hub.postEvent(event("mq-http", "OH", "OH-3", "7.5"));
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(hub.awaitFinal("mq-http").path("status").asText()).isEqualTo("committed");
            GetResponse outcome = awaitMessage(outcomes);
            assertThat(JSON.readTree(outcome.getBody()).path("id").asText()).isEqualTo("mq-http");
            assertThat(hub.postEvent(event("mq-http", "OH", "OH-3", "7.5")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aThousandEventsGiveAThousandFinalStatusesNoneTwiceNoneMissing() throws Exception {
        int count = 1000;
        // about counting outcomes, not deadlines: a loaded machine must not turn a slow prepare into a no
        try (RunningHub hub = startHub(Map.of("hms.prepare-timeout-ms", "10000"))) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                publish("benefit_adjusted", event(String.format("bulk-%04d", i), i % 2 == 0 ? "OH" : "KY", "C-" + i, "1.25")
                        .getBytes(StandardCharsets.UTF_8), null);
            }
            channel.waitForConfirmsOrDie(30_000);
            Map<String, String> seen = new HashMap<>();
            List<String> twice = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (GetResponse r = channel.basicGet(outcomes, true); r != null; r = channel.basicGet(outcomes, true)) {
                    if (r.getEnvelope().getRoutingKey().startsWith("alert.")) {
                        continue;   // an alert (a parked event) travels on the same exchange; the statuses are counted below
                    }
                    String id = JSON.readTree(r.getBody()).path("id").asText();
                    if (seen.put(id, r.getEnvelope().getRoutingKey()) != null) {
                        twice.add(id);
                    }
                }
                return seen.size() >= count;
            });
            assertThat(twice).isEmpty();
            assertThat(seen).hasSize(count);
            assertThat(seen.values()).containsOnly("committed");
            assertThat(json(hub.get("/sim/debit-vendor/loads"))).hasSize(count);
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo("625.00");
        }
    }

    static String reasonOf(Map<String, GetResponse> parked, byte[] body) {
        return parked.get(new String(body, StandardCharsets.UTF_8)).getProps().getHeaders().get(BrokerPublisher.REASON).toString();
    }

    GetResponse awaitMessage(String queue) {
        GetResponse[] got = new GetResponse[1];
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
            got[0] = channel.basicGet(queue, true);
            return got[0] != null;
        });
        return got[0];
    }
}
