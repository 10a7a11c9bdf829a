package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.TestBroker.awaitMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that is not a valid event, from a request/reply publisher: it is answered "rejected"
 * with the reason, and its copy in the DLQ keeps everything the publisher put on it.
 */
class BrokerPoisonIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    TestBroker.Names names;
    Connection connection;
    Channel channel;

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

    @Test
    void aPoisonRequestIsAnsweredRejectedWithItsReasonUnderItsCorrelationId() throws Exception {
        try (RunningHub hub = RunningHub.start(data, names.properties(TestBroker.uri()))) {
            String replies = channel.queueDeclare().getQueue();
            publish("{\"id\":\"p-1\",\"type\":", request(replies, "corr-malformed").build());
            publish("{\"id\":\"p-2\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"delta_usd\":1.005}}",
                    request(replies, "corr-rule").build());
            publish("{\"id\":\"../etc/passwd\",\"type\":\"benefit_adjusted\",\"payload\":{}}", request(replies, "corr-id").build());
            // a publisher's typo in the type: no adapter follows it, so nothing would be applied
            publish("{\"id\":\"p-4\",\"type\":\"benefit_adjustd\",\"payload\":{\"state\":\"OH\",\"delta_usd\":1}}",
                    request(replies, "corr-type").build());

            Map<String, GetResponse> answers = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                GetResponse reply = awaitMessage(channel, replies);
                answers.put(reply.getProps().getCorrelationId(), reply);
            }
            assertThat(answers).containsOnlyKeys("corr-malformed", "corr-rule", "corr-id", "corr-type");
            Map<String, String> parkedReasons = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                GetResponse parked = awaitMessage(channel, names.dlq());
                parkedReasons.put(parked.getProps().getCorrelationId(), parked.getProps().getHeaders().get("x-hms-reason").toString());
            }

            JsonNode malformed = body(answers.get("corr-malformed"));
            assertThat(malformed.get("id").isNull()).as("no id could be read").isTrue();
            assertThat(malformed.path("status").asText()).isEqualTo("rejected");
            assertThat(malformed.path("error").asText()).contains("not valid JSON").isEqualTo(parkedReasons.get("corr-malformed"));
            assertThat(malformed.path("details").get(0).path("field").asText()).isEqualTo("body");

            JsonNode brokenRule = body(answers.get("corr-rule"));
            assertThat(brokenRule.path("id").asText()).isEqualTo("p-2");
            assertThat(brokenRule.path("status").asText()).isEqualTo("rejected");
            assertThat(brokenRule.path("error").asText()).contains("payload.delta_usd").isEqualTo(parkedReasons.get("corr-rule"));
            assertThat(brokenRule.path("details").get(0).path("field").asText()).isEqualTo("payload.delta_usd");
            assertThat(brokenRule.path("details").get(0).path("problem").asText()).contains("more than 2 decimal places");

            JsonNode badId = body(answers.get("corr-id"));
            assertThat(badId.get("id").isNull()).as("an id that breaks its rule is not echoed").isTrue();
            assertThat(badId.path("details").get(0).path("field").asText()).isEqualTo("id");

            JsonNode unknownType = body(answers.get("corr-type"));
            assertThat(unknownType.path("id").asText()).isEqualTo("p-4");
            assertThat(unknownType.path("status").asText()).isEqualTo("rejected");
            assertThat(unknownType.path("error").asText()).contains("benefit_adjustd").isEqualTo(parkedReasons.get("corr-type"));
            assertThat(unknownType.path("details").get(0).path("field").asText()).isEqualTo("type");

            assertThat(answers.values()).allSatisfy(r -> assertThat(r.getProps().getContentType()).isEqualTo("application/json"));
            assertThat(hub.ledgerLineCount()).isZero();
        }
        assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount()).as("acknowledged, not looping").isZero();
    }

    @Test
    void theParkedCopyKeepsThePublishersPropertiesAndHeadersBesideTheReason() throws Exception {
        Date sentAt = new Date(1_795_000_000_000L); // whole seconds: AMQP timestamps have no millis
        Map<String, Object> ownHeaders = new HashMap<>();
        ownHeaders.put("tenant", "ohio");
        ownHeaders.put("trace-id", "abc-123");
        ownHeaders.put("attempt", 3);
        AMQP.BasicProperties sent = request("amq.gen-nobody-listens", "corr-dlq").messageId("msg-dlq").appId("claims-portal")
                .type("benefit_adjusted.v1").timestamp(sentAt).priority(3).contentEncoding("utf-8").deliveryMode(1)
                .headers(ownHeaders).build();
        String body = "{\"id\":\"p-dlq\",\"type\":\"benefit_adjusted\",\"payload\":{\"delta_usd\":\"ten\"}}";
        try (RunningHub hub = RunningHub.start(data, names.properties(TestBroker.uri()))) {
            publish(body, sent);
            GetResponse parked = awaitMessage(channel, names.dlq());

            assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).as("parked whole").isEqualTo(body);
            AMQP.BasicProperties kept = parked.getProps();
            assertThat(kept.getContentType()).isEqualTo("application/json");
            assertThat(kept.getContentEncoding()).isEqualTo("utf-8");
            assertThat(kept.getCorrelationId()).isEqualTo("corr-dlq");
            assertThat(kept.getReplyTo()).isEqualTo("amq.gen-nobody-listens");
            assertThat(kept.getMessageId()).isEqualTo("msg-dlq");
            assertThat(kept.getAppId()).isEqualTo("claims-portal");
            assertThat(kept.getType()).isEqualTo("benefit_adjusted.v1");
            assertThat(kept.getTimestamp()).isEqualTo(sentAt);
            assertThat(kept.getPriority()).isEqualTo(3);
            assertThat(kept.getDeliveryMode()).as("parked persistent").isEqualTo(2);
            Map<String, Object> headers = kept.getHeaders();
            assertThat(headers.get("tenant")).hasToString("ohio");
            assertThat(headers.get("trace-id")).hasToString("abc-123");
            assertThat(headers.get("attempt")).hasToString("3");
            assertThat(headers.get("x-hms-reason").toString()).contains("payload.delta_usd");
            assertThat(headers.get("reason")).hasToString(headers.get("x-hms-reason").toString());
            assertThat(headers.get("x-hms-original-routing-key")).hasToString("benefit_adjusted");
            assertThat(channel.basicGet(names.dlq(), true)).as("parked once").isNull();
        }
    }

    private static AMQP.BasicProperties.Builder request(String replyTo, String correlationId) {
        return new AMQP.BasicProperties.Builder().replyTo(replyTo).correlationId(correlationId).contentType("application/json")
                .deliveryMode(2);
    }

    private void publish(String body, AMQP.BasicProperties props) throws Exception {
        channel.basicPublish(names.exchange(), "benefit_adjusted", props, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(GetResponse message) throws Exception {
        return JSON.readTree(message.getBody());
    }
}
