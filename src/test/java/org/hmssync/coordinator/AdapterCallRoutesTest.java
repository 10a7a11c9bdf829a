package org.hmssync.coordinator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.TestEvents.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.hmssync.config.HubConfiguration;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.RetrySettings;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One adapter call at route level: the hub's phase route around the shipped dashboard adapter file,
 * under camel-main with the hub's own configuration, against a WireMock peer. What the adapter
 * sends, how the phase route retries it, and what each attempt leaves in the ledger.
 */
class AdapterCallRoutesTest extends CamelMainTestSupport {

    @TempDir
    static Path data;
    static WireMockServer dashboard;

    @BeforeAll
    static void startPeer() {
        dashboard = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        dashboard.start();
    }

    @AfterAll
    static void stopPeer() {
        dashboard.stop();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(HubConfiguration.class);
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        Properties overrides = new Properties();
        try {
            overrides.put("hms.http.port", String.valueOf(RunningHub.freePort()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        overrides.put("hms.routes-location", "file:routes");   // and its parts, as HmsSyncApplication.create sets them
        overrides.put("hms.routes.templates-location", "file:routes/templates");
        overrides.put("hms.routes.simulators-location", "file:routes/simulators");
        overrides.put("hms.data-dir", data.toString());
        overrides.put("hms.adapters", "dashboard");
        overrides.put("hms.adapter.dashboard.url", dashboard.baseUrl() + "/dash");
        overrides.put("hms.retry.max-attempts", "3");
        overrides.put("hms.retry.first-delay-ms", "5");
        overrides.put("hms.retry.max-delay-ms", "20");
        context.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    private SyncAttempt attempt(String id) {
        return new SyncAttempt(event(id, "OH", "OH-1"), List.of(new AdapterSettings("dashboard", java.util.Set.of("benefit_adjusted"),
                null, 60_000, new RetrySettings(3, 5, 2, 20))));
    }

    @Test
    void aCommitIsRetriedWithBackOffUntilItSucceedsAndEachAttemptIsInTheLedger() throws Exception {
        dashboard.stubFor(post(urlEqualTo("/dash")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        dashboard.stubFor(post(urlEqualTo("/dash")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("third"));
        dashboard.stubFor(post(urlEqualTo("/dash")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200)));
        SyncAttempt attempt = attempt("route-commit");

        template.send("direct:hms-commit-dashboard", e -> e.setProperty(SyncAttempt.PROPERTY, attempt));

        assertThat(attempt.commits()).containsEntry("dashboard", true);
        dashboard.verify(3, postRequestedFor(urlEqualTo("/dash"))
                .withHeader("Idempotency-Key", equalTo("route-commit"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":25,\"event_id\":\"route-commit\"}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines("route-commit").size() == 3);
        assertThat(lines("route-commit")).extracting(l -> l.path("attempt").asInt() + " " + l.path("result").asText())
                .containsExactly("1 failure", "2 failure", "3 success");
        assertThat(lines("route-commit").get(0).path("error").asText()).isEqualTo("HTTP 503 Service Unavailable");
    }

    @Test
    void aPrepareThatAnswers4xxIsANoVoteWithItsReasonAndIsNotRetried() {
        dashboard.stubFor(post(urlEqualTo("/dash/dry-run")).willReturn(aResponse().withStatus(422)));
        SyncAttempt attempt = attempt("route-prepare");

        template.send("direct:hms-prepare-dashboard", e -> e.setProperty(SyncAttempt.PROPERTY, attempt));

        attempt.close();
        Vote vote = attempt.votes().get("dashboard");
        assertThat(vote.yes()).isFalse();
        assertThat(vote.silent()).isFalse();
        assertThat(vote.error()).isEqualTo("HTTP 422 Unprocessable Entity");
        dashboard.verify(1, postRequestedFor(urlEqualTo("/dash/dry-run")).withHeader("Idempotency-Key", equalTo("route-prepare")));
    }

    private static List<JsonNode> lines(String id) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> found = new ArrayList<>();
        Path ledger = data.resolve("ledger.jsonl");
        if (Files.exists(ledger)) {
            for (String line : Files.readAllLines(ledger)) {
                JsonNode node = json.readTree(line);
                if (id.equals(node.path("event_id").asText())) {
                    found.add(node);
                }
            }
        }
        return found;
    }
}
