package org.hmssync.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;
import static org.hmssync.support.TestBroker.awaitMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parked event tells a person: a JSON alert to the webhook (retried, never holding the event),
 * a message on the outcomes exchange with RabbitMQ on, one log line that never shows the webhook's
 * URL; and the Prometheus rules name only metrics the hub serves.
 */
class AlertsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOOK = "/alerts";

    @TempDir
    Path data;
    WireMockServer webhook;

    @BeforeEach
    void startWebhook() {
        webhook = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop();
    }

    @Test
    void aParkedEventIsPostedToTheWebhookWithItsFieldsRetriedAfter503sWithoutWaitingForIt() throws Exception {
        // the first answer takes 8 s, and two 503s come before the 200
        webhook.stubFor(post(HOOK).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withFixedDelay(8000)).willSetStateTo("second"));
        webhook.stubFor(post(HOOK).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        webhook.stubFor(post(HOOK).inScenario("flaky").whenScenarioStateIs("third").willReturn(aResponse().withStatus(200)));
        try (RunningHub hub = RunningHub.start(data, webhookAt(webhook.baseUrl() + HOOK))) {
            hub.put("/sim/dashboard/mode", "down");
            long posted = System.nanoTime();
            assertThat(hub.postEvent(batchEvent("alert-1", "ohio-fix")).statusCode()).isEqualTo(202);

            JsonNode view = hub.awaitFinal("alert-1");
            JsonNode parked = json(hub.get("/dlq/alert-1"));
            long finalAndParkedMs = (System.nanoTime() - posted) / 1_000_000;
            assertThat(view.path("status").asText()).isEqualTo("rolled_back");
            assertThat(parked.path("reason").asText()).contains("dashboard");
            assertThat(finalAndParkedMs).as("final and parked before the webhook's first answer (8 s)").isLessThan(7500);
            assertThat(alerts(hub, "sent")).isZero();

            await().atMost(Duration.ofSeconds(30)).until(() -> calls().size() == 3 && alerts(hub, "sent") == 1.0);
            assertThat(alerts(hub, "failed")).isZero();
            List<LoggedRequest> calls = calls();
            assertThat(calls).extracting(LoggedRequest::getBodyAsString).containsOnly(calls.get(0).getBodyAsString());
            assertThat(calls.get(0).getHeader("Content-Type")).startsWith("application/json");
            JsonNode alert = JSON.readTree(calls.get(0).getBodyAsString());
            assertThat(alert.path("alert").asText()).isEqualTo("event_parked");
            assertThat(alert.path("event_id").asText()).isEqualTo("alert-1");
            assertThat(alert.path("batch_id").asText()).isEqualTo("ohio-fix");
            assertThat(alert.path("status").asText()).isEqualTo("rolled_back");
            assertThat(alert.path("reason").asText()).isEqualTo(parked.path("reason").asText());
            assertThat(alert.path("parked_at").asText()).isEqualTo(parked.path("parked_at").asText());
            assertThat(alert.path("systems").path("dashboard").path("state").asText()).isEqualTo("refused");
            assertThat(alert.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rolled_back");
            assertThat(alert.path("hub").asText()).isEqualTo("hub-under-test");
            assertThat(alert.has("payload")).as("the alert carries no payload").isFalse();
        }
    }

    @Test
    void aWebhookThatNeverAnswersSlowsNoEventAndItsFullQueueDropsTheOldestAlerts() throws Exception {
        webhook.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withFixedDelay(25_000)));
        Map<String, String> props = webhookAt(webhook.baseUrl() + HOOK);
        props.put("hms.alert.timeout-ms", "30000");
        props.put("hms.alert.queue-size", "5");
        RunningHub hub = RunningHub.start(data, props);
        try {
            hub.put("/sim/dashboard/mode", "down");
            assertThat(hub.postEvent(event("hang-0", "OH", "OH-0", "25")).statusCode()).isEqualTo(202);
            hub.awaitFinal("hang-0");
            await().atMost(Duration.ofSeconds(10)).until(() -> calls().size() == 1);   // and the webhook holds it

            long start = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                assertThat(hub.postEvent(event("hang-" + i, "OH", "OH-" + i, "25")).statusCode()).isEqualTo(202);
            }
            for (int i = 1; i <= 20; i++) {
                assertThat(hub.awaitFinal("hang-" + i).path("status").asText()).isEqualTo("rolled_back");
            }
            long allFinalMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(allFinalMs).as("20 events parked while the webhook hangs (25 s)").isLessThan(15_000);
            assertThat(json(hub.get("/dlq")).size()).isEqualTo(21);
            // one alert held by the hanging call, five queued, the fifteen oldest of the rest dropped
            assertThat(alerts(hub, "dropped")).isEqualTo(15.0);
            assertThat(alerts(hub, "sent") + alerts(hub, "failed")).isZero();
        } finally {
            long stopping = System.nanoTime();
            hub.close();
            assertThat((System.nanoTime() - stopping) / 1_000_000).as("the hub stops without waiting for the webhook").isLessThan(10_000);
        }
    }

    @Test
    void withRabbitMqTheAlertGoesToTheOutcomesExchangeAsAlertEventParked() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        try (Connection connection = TestBroker.connect(); Channel channel = connection.createChannel()) {
            Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
            props.put("hms.instance", "hub-under-test");
            try (RunningHub hub = RunningHub.start(data, props)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
                String alerts = channel.queueDeclare().getQueue();
                channel.queueBind(alerts, names.outcomes(), "alert.#");
                String rolledBack = channel.queueDeclare().getQueue();
                channel.queueBind(rolledBack, names.outcomes(), "rolled_back");

                hub.put("/sim/dashboard/mode", "down");
                assertThat(hub.postEvent(event("mq-alert", "OH", "OH-9", "25")).statusCode()).isEqualTo(202);

                GetResponse alert = awaitMessage(channel, alerts);
                assertThat(alert.getEnvelope().getRoutingKey()).isEqualTo("alert.event_parked");
                assertThat(alert.getProps().getContentType()).isEqualTo("application/json");
                assertThat(alert.getProps().getHeaders().get("hms_event_id")).hasToString("mq-alert");
                JsonNode body = JSON.readTree(alert.getBody());
                assertThat(body.path("alert").asText()).isEqualTo("event_parked");
                assertThat(body.path("event_id").asText()).isEqualTo("mq-alert");
                assertThat(body.has("batch_id") && body.get("batch_id").isNull()).as("batch_id null, not left out").isTrue();
                assertThat(body.path("status").asText()).isEqualTo("rolled_back");
                assertThat(body.path("hub").asText()).isEqualTo("hub-under-test");

                assertThat(JSON.readTree(awaitMessage(channel, rolledBack).getBody()).path("id").asText()).isEqualTo("mq-alert");
                assertThat(channel.basicGet(alerts, true)).as("the outcome itself is not an alert").isNull();
            }
        } finally {
            names.delete();
        }
    }

    @Test
    void theWebhookUrlAndItsTokenNeverReachTheLog() throws Exception {
        String secretPath = "/hooks/T0KEN-IN-PATH";
        String secretQuery = "s3cret-query-token";
        webhook.stubFor(post(urlPathEqualTo(secretPath)).willReturn(aResponse().withStatus(503)));
        Map<String, String> props = new HashMap<>();
        props.put("hms.alert.webhook-url", webhook.baseUrl() + secretPath + "?token=" + secretQuery);
        props.put("hms.alert.retry.max-attempts", "2");
        props.put("hms.alert.retry.first-delay-ms", "50");
        String host = java.net.URI.create(webhook.baseUrl()).getHost();
        // the jar with its own log4j2.xml, as an operator runs it: its console output is the log
        try (HubProcess hub = HubProcess.start(data, RunningHub.freePort(), props)) {
            assertThat(hub.put("/sim/dashboard/mode", "down").statusCode()).isEqualTo(200);
            assertThat(hub.post("/events", event("log-alert", "OH", "OH-5", "25")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.log().contains("not delivered to the webhook at " + host));

            String log = hub.log();
            assertThat(webhook.findAll(postRequestedFor(urlPathEqualTo(secretPath)))).hasSize(2);
            assertThat(log).contains("alerts of hub").contains("the webhook at " + host)
                    .contains("ALERT event_parked: event log-alert parked in the DLQ as rolled_back; failed: dashboard refused")
                    .contains("alert event_parked of event log-alert not delivered to the webhook at " + host + " (2 attempts): HTTP 503");
            assertThat(log).doesNotContain("T0KEN-IN-PATH").doesNotContain(secretQuery).doesNotContain("/hooks")
                    .as("no payload or money").doesNotContain("delta_usd").doesNotContain("OH-5");
        }
    }

    @Test
    void everyMetricTheRulesNameIsServedByTheHub() throws Exception {
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(PrometheusRulesTest.RULES)) {
            Matcher selector = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{").matcher(line);
            while (!line.strip().startsWith("#") && selector.find()) {
                names.add(selector.group(1));
            }
        }
        assertThat(names).containsExactlyInAnyOrder("up", "sync_dlq_events", "sync_inflight_events", "sync_events_total", "sync_alerts_total",
                "sync_circuit_open", "sync_held_events");
        names.remove("up");   // Prometheus's own, of the scrape
        try (RunningHub hub = RunningHub.start(data)) {
            String metrics = hub.get("/observe/metrics").body();
            assertThat(names).allSatisfy(name -> assertThat(metrics).containsPattern("(?m)^" + name + "[{ ]"));
            // the series the rules select on exist before anything happened, at 0
            assertThat(alerts(hub, "failed")).isZero();
            assertThat(alerts(hub, "dropped")).isZero();
            assertThat(ObservabilityIT.value(metrics, "sync_events_total{status=\"committed\"}")).isZero();
        }
    }

    private List<LoggedRequest> calls() {
        return webhook.findAll(postRequestedFor(urlEqualTo(HOOK)));
    }

    private static Map<String, String> webhookAt(String url) {
        Map<String, String> props = new HashMap<>();
        props.put("hms.alert.webhook-url", url);
        props.put("hms.alert.retry.first-delay-ms", "100");
        props.put("hms.alert.timeout-ms", "10000");
        props.put("hms.instance", "hub-under-test");
        return props;
    }

    private static String batchEvent(String id, String batch) {
        return "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"batch_id\":\"" + batch
                + "\",\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-" + id + "\",\"delta_usd\":25}}";
    }

    /** {@code sync_alerts_total{kind="event_parked",outcome=...}} as the hub serves it now. */
    private static double alerts(RunningHub hub, String outcome) throws Exception {
        return ObservabilityIT.value(hub.get("/observe/metrics").body(),
                "sync_alerts_total{kind=\"event_parked\",outcome=\"" + outcome + "\"}");
    }
}
