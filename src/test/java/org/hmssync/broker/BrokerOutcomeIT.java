package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.TestBroker.awaitMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes and replies say which event and which request they answer: the publisher's
 * correlation_id and message_id, and the event's id and type as headers a headers exchange can
 * route on.
 */
class BrokerOutcomeIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    TestBroker.Names names;
    String byHeaders;
    Connection connection;
    Channel channel;

    @BeforeEach
    void connect() throws Exception {
        names = TestBroker.Names.unique();
        byHeaders = names.outcomes() + ".by-headers";
        connection = TestBroker.connect();
        channel = connection.createChannel();
    }

    @AfterEach
    void cleanUp() throws Exception {
        channel.exchangeDelete(byHeaders);
        connection.close();
        names.delete();
    }

    @Test
    void outcomesAndRepliesCarryThePublishersIdsAndTheEventsIdAndTypeAsHeaders() throws Exception {
        try (RunningHub hub = RunningHub.start(data, names.properties(TestBroker.uri()))) {
            // the hub declares hms.sync.outcomes once it is connected
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
            // a subscriber that filters on headers: a headers exchange fed by the outcomes exchange
            channel.exchangeDeclare(byHeaders, "headers", false, false, null);
            channel.exchangeBind(byHeaders, names.outcomes(), "#");
            String ofThisEvent = bound(Map.of("x-match", "all", "hms_event_id", "mq-props"));
            String ofThisType = bound(Map.of("x-match", "all", "hms_event_type", "benefit_adjusted"));
            String ofAnotherType = bound(Map.of("x-match", "all", "hms_event_type", "claimant_moved"));

            String replies = channel.queueDeclare().getQueue();
            channel.basicPublish(names.exchange(), "benefit_adjusted",
                    new AMQP.BasicProperties.Builder().replyTo(replies).correlationId("corr-7").messageId("msg-7")
                            .contentType("application/json").deliveryMode(2).build(),
                    event("mq-props", "OH", "OH-7", "25").getBytes(StandardCharsets.UTF_8));

            GetResponse reply = awaitMessage(channel, replies);
            assertThat(body(reply).path("status").asText()).isEqualTo("committed");
            assertAbout(reply, "mq-props", "corr-7", "msg-7");

            GetResponse outcome = awaitMessage(channel, ofThisEvent);
            assertThat(outcome.getEnvelope().getRoutingKey()).isEqualTo("committed");
            assertThat(body(outcome).path("id").asText()).isEqualTo("mq-props");
            assertAbout(outcome, "mq-props", "corr-7", "msg-7");
            assertThat(body(awaitMessage(channel, ofThisType)).path("id").asText()).isEqualTo("mq-props");

            // over HTTP there is no publisher's correlation_id or message_id to echo
            assertThat(hub.postEvent(event("http-props", "KY", "KY-7", "5")).statusCode()).isEqualTo(202);
            GetResponse overHttp = awaitMessage(channel, ofThisType);
            assertThat(body(overHttp).path("id").asText()).isEqualTo("http-props");
            assertAbout(overHttp, "http-props", null, null);

            assertThat(channel.basicGet(ofAnotherType, true)).as("filtered out by type").isNull();
            assertThat(channel.basicGet(ofThisEvent, true)).as("filtered out by id").isNull();
        }
    }

    private String bound(Map<String, Object> match) throws Exception {
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, byHeaders, "", match);
        return queue;
    }

    private static void assertAbout(GetResponse message, String eventId, String correlationId, String messageId) {
        AMQP.BasicProperties props = message.getProps();
        assertThat(props.getCorrelationId()).isEqualTo(correlationId);
        assertThat(props.getMessageId()).isEqualTo(messageId);
        assertThat(props.getContentType()).isEqualTo("application/json");
        assertThat(props.getHeaders()).isNotNull();
        assertThat(props.getHeaders().get("hms_event_id")).hasToString(eventId);
        assertThat(props.getHeaders().get("hms_event_type")).hasToString("benefit_adjusted");
    }

    private static JsonNode body(GetResponse message) throws Exception {
        return JSON.readTree(message.getBody());
    }
}
