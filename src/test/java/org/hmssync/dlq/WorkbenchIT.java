package org.hmssync.dlq;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DLQ workbench: what is parked, why, where each system stands, and the actions a person takes. */
class WorkbenchIT {

    @TempDir
    Path data;
    WireMockServer peers;

    @BeforeEach
    void start() {
        peers = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        peers.start();
        peers.stubFor(post(urlMatching("/.*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        peers.stop();
    }

    @Test
    void replayAfterTheDashboardCameBackCommitsAndLeavesTheList() throws Exception {
        try (RunningHub hub = RunningHub.start(data)) {
            hub.put("/sim/dashboard/mode", "down");
            hub.postEvent(event("wb-replay", "OH", "OH-1", "25"));
            assertThat(hub.awaitFinal("wb-replay").path("status").asText()).isEqualTo("rolled_back");
            JsonNode parked = json(hub.get("/dlq/wb-replay"));
            assertThat(parked.path("event").path("id").asText()).isEqualTo("wb-replay");
            assertThat(parked.path("systems").path("dashboard").path("state").asText()).isEqualTo("refused");
            assertThat(parked.path("actions").path("replay").asText()).isEqualTo("/dlq/wb-replay/replay");

            hub.put("/sim/dashboard/mode", "up");
            assertThat(hub.post("/dlq/wb-replay/replay", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(hub.get("/events/wb-replay")).path("status").asText().equals("committed"));
            JsonNode view = json(hub.get("/events/wb-replay"));
            assertThat(view.path("attempt").asInt()).isEqualTo(2);
            assertThat(view.path("dead_lettered").asBoolean()).isFalse();
            assertThat(json(hub.get("/dlq"))).isEmpty();
            assertThat(hub.get("/dlq/wb-replay").statusCode()).isEqualTo(404);
            assertThat(data.resolve("dlq/wb-replay.json")).doesNotExist();
            assertThat(hub.ledgerOnDisk("wb-replay")).anyMatch(l -> l.path("action").asText().equals("replay"));
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo("25");
            // no longer parked: a replay would commit it a second time (contract section 3)
            assertThat(hub.post("/dlq/wb-replay/replay", "application/json", "").statusCode()).isEqualTo(409);
        }
    }

    @Test
    void rollBackTheRestResolvesANeedsAttentionEvent() throws Exception {
        peers.stubFor(post(urlEqualTo("/vendor")).willReturn(aResponse().withStatus(500)));
        peers.stubFor(post(urlEqualTo("/vendor/reversal")).willReturn(aResponse().withStatus(503)));
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", peers.baseUrl() + "/vendor"))) {
            hub.postEvent(event("wb-stuck", "OH", "OH-1", "25"));
            assertThat(hub.awaitFinal("wb-stuck").path("status").asText()).isEqualTo("needs_attention");
            JsonNode parked = json(hub.get("/dlq/wb-stuck"));
            assertThat(parked.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rollback_failed");
            assertThat(parked.path("actions").has("roll_back_rest")).isTrue();
            assertThat(parked.path("actions").has("retry_straggler")).as("the others were reversed").isFalse();
            assertThat(hub.post("/dlq/wb-stuck/replay", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> RunningHub.FINAL.contains(json(hub.get("/events/wb-stuck")).path("status").asText()));

            peers.stubFor(post(urlEqualTo("/vendor/reversal")).willReturn(aResponse().withStatus(200)));
            assertThat(hub.post("/dlq/wb-stuck/roll-back-rest", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(hub.get("/events/wb-stuck")).path("status").asText().equals("rolled_back"));
            assertThat(json(hub.get("/events/wb-stuck")).path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rolled_back");
            assertThat(json(hub.get("/dlq"))).isEmpty();
            assertThat(hub.ledgerOnDisk("wb-stuck")).anyMatch(l -> l.path("error").asText().equals("operator: roll back the rest"));
        }
    }

    @Test
    void retryTheStragglerCommitsWhereTheCommitIsMissing() throws Exception {
        peers.stubFor(post(urlEqualTo("/vendor")).willReturn(aResponse().withStatus(500)));
        peers.stubFor(post(urlEqualTo("/vendor/reversal")).willReturn(aResponse().withStatus(503)));
        peers.stubFor(post(urlEqualTo("/dash/reversal")).willReturn(aResponse().withStatus(503)));
        try (RunningHub hub = RunningHub.start(data, Map.of(
                "hms.adapters", "debit-vendor,dashboard",
                "hms.adapter.debit-vendor.url", peers.baseUrl() + "/vendor",
                "hms.adapter.dashboard.url", peers.baseUrl() + "/dash"))) {
            hub.postEvent(event("wb-forward", "OH", "OH-1", "25"));
            JsonNode view = hub.awaitFinal("wb-forward");
            assertThat(view.path("status").asText()).isEqualTo("needs_attention");
            assertThat(view.path("systems").path("dashboard").path("commit").asText()).isEqualTo("success");
            assertThat(json(hub.get("/dlq/wb-forward")).path("actions").has("retry_straggler")).isTrue();
            assertThat(hub.post("/events/wb-forward/rollback", "application/json", "").statusCode()).as("not committed").isEqualTo(409);

            peers.stubFor(post(urlEqualTo("/vendor")).willReturn(aResponse().withStatus(200)));
            assertThat(hub.post("/dlq/wb-forward/retry-straggler", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(hub.get("/events/wb-forward")).path("status").asText().equals("committed"));
            peers.verify(1, postRequestedFor(urlEqualTo("/dash")));
            assertThat(json(hub.get("/dlq"))).isEmpty();
            assertThat(hub.post("/dlq/wb-forward/retry-straggler", "application/json", "").statusCode()).isEqualTo(409);
        }
    }
}
