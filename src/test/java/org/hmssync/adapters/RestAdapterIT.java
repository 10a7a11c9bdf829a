package org.hmssync.adapters;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The debit-vendor adapter against a real HTTP peer (WireMock) that misbehaves on purpose. */
class RestAdapterIT {

    static final String VENDOR = "/vendor/v1/loads";

    @TempDir
    Path data;
    WireMockServer vendor;
    RunningHub hub;

    @BeforeEach
    void start() throws Exception {
        vendor = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        vendor.start();
        vendor.stubFor(post(urlEqualTo(VENDOR + "/dry-run")).willReturn(aResponse().withStatus(200)));
        vendor.stubFor(post(urlEqualTo(VENDOR)).willReturn(aResponse().withStatus(201)));
        vendor.stubFor(post(urlEqualTo(VENDOR + "/reversal")).willReturn(aResponse().withStatus(200)));
        hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.baseUrl() + VENDOR));
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        vendor.stop();
    }

    @Test
    void callsCarryTheIdempotencyKeyAndTheExactPayload() throws Exception {
        hub.postEvent(event("evt-headers", "OH", "OH-000123", "25.10"));
        assertThat(hub.awaitFinal("evt-headers").path("status").asText()).isEqualTo("committed");

        String expected = "{\"state\":\"OH\",\"claimant_id\":\"OH-000123\",\"delta_usd\":25.10,\"event_id\":\"evt-headers\"}";
        for (String path : List.of(VENDOR + "/dry-run", VENDOR)) {
            vendor.verify(1, postRequestedFor(urlEqualTo(path))
                    .withHeader("Idempotency-Key", equalTo("evt-headers"))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withHeader("HmsRollbackToken", absent())
                    .withRequestBody(equalToJson(expected)));
        }
        assertThat(vendor.findAll(postRequestedFor(urlEqualTo(VENDOR))).get(0).getBodyAsString()).contains("\"delta_usd\":25.10");
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR + "/reversal")));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void anHttpErrorAtPrepareIsANoVote(int status) throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR + "/dry-run")).willReturn(aResponse().withStatus(status)));
        hub.postEvent(event("evt-" + status, "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-" + status);
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("reason").asText()).startsWith("debit-vendor voted no at prepare: HTTP " + status);
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR)));
        // it answered no: nothing of it to undo
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR + "/reversal")));
        assertThat(view.path("systems").path("dashboard").path("state").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("rolled_back");
        assertEmpty(data.resolve("mainframe/outbox"));
        assertEmpty(data.resolve("mainframe/staging"));
        assertThat(json(hub.get("/dlq")).get(0).path("id").asText()).isEqualTo("evt-" + status);
    }

    @Test
    void aConnectionResetAtPrepareIsANoVote() throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR + "/dry-run")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        hub.postEvent(event("evt-reset", "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-reset");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("refused");
        assertThat(view.path("reason").asText()).startsWith("debit-vendor voted no at prepare: connection");
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR)));
    }

    @Test
    void aPrepareThatAnswersPastTheDeadlineIsANoAndIsUndone() throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR + "/dry-run")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        hub.postEvent(event("evt-late", "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-late");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("reason").asText()).isEqualTo("debit-vendor voted no at prepare: no answer within 700 ms");
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR)));
        vendor.verify(1, postRequestedFor(urlEqualTo(VENDOR + "/reversal"))
                .withHeader("Idempotency-Key", equalTo("evt-late"))
                .withRequestBody(equalToJson("{\"event_id\":\"evt-late\"}")));
        List<JsonNode> ledger = hub.ledgerOnDisk("evt-late");
        int timeout = indexOf(ledger, "debit-vendor", "prepare", "failure");
        int undo = indexOf(ledger, "debit-vendor", "rollback", "success");
        int late = indexOf(ledger, "debit-vendor", "prepare", "success");
        assertThat(timeout).isGreaterThanOrEqualTo(0);
        assertThat(late).as("the late answer is on the ledger").isGreaterThan(timeout);
        assertThat(undo).as("undone only after its late prepare finished").isGreaterThan(late);
    }

    @Test
    void aCommitThatFailsTwiceThenSucceedsIsRetriedWithBackOff() throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("failed once"));
        vendor.stubFor(post(urlEqualTo(VENDOR)).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("failed twice"));
        vendor.stubFor(post(urlEqualTo(VENDOR)).inScenario("flaky").whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(200)));
        hub.postEvent(event("evt-flaky", "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-flaky");
        assertThat(view.path("status").asText()).isEqualTo("committed");
        assertThat(view.path("systems").path("debit-vendor").path("commit_attempts").asInt()).isEqualTo(3);
        List<JsonNode> commits = hub.ledgerOnDisk("evt-flaky").stream()
                .filter(l -> l.path("system").asText().equals("debit-vendor") && l.path("action").asText().equals("commit")).toList();
        assertThat(commits).extracting(l -> l.path("attempt").asInt() + " " + l.path("result").asText() + " " + l.path("error").asText(""))
                .containsExactly("1 failure HTTP 500 Server Error", "2 failure HTTP 502 Bad Gateway", "3 success ");
        vendor.verify(3, postRequestedFor(urlEqualTo(VENDOR)).withHeader("Idempotency-Key", equalTo("evt-flaky")));
        vendor.verify(0, postRequestedFor(urlEqualTo(VENDOR + "/reversal")));
    }

    @Test
    void aCommitThatNeverSucceedsIsCompensatedEverywhereAndParked() throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR)).willReturn(aResponse().withStatus(500)));
        hub.postEvent(event("evt-broken", "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-broken");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("decision").asText()).isEqualTo("commit");
        assertThat(view.path("reason").asText()).startsWith("debit-vendor commit failed: HTTP 500");
        vendor.verify(3, postRequestedFor(urlEqualTo(VENDOR)));
        vendor.verify(1, postRequestedFor(urlEqualTo(VENDOR + "/reversal")));
        // the dashboard had applied it: it is reversed; the mainframe file is withdrawn before pickup
        assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue()).isZero();
        assertThat(data.resolve("mainframe/withdrawn/evt-broken.dat")).exists();
        assertEmpty(data.resolve("mainframe/outbox"));
        assertThat(view.path("dead_lettered").asBoolean()).isTrue();
        assertThat(RunningHub.readJson(data.resolve("dlq/evt-broken.json")).path("reason").asText()).startsWith("debit-vendor commit failed");
    }

    @Test
    void aRollbackThatStillFailsNeedsAttentionAndSaysWhoIsWhere() throws Exception {
        vendor.stubFor(post(urlEqualTo(VENDOR)).willReturn(aResponse().withStatus(500)));
        vendor.stubFor(post(urlEqualTo(VENDOR + "/reversal")).willReturn(aResponse().withStatus(503)));
        hub.postEvent(event("evt-stuck", "OH", "OH-1", "25"));

        JsonNode view = hub.awaitFinal("evt-stuck");
        assertThat(view.path("status").asText()).isEqualTo("needs_attention");
        assertThat(view.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rollback_failed");
        assertThat(view.path("systems").path("dashboard").path("state").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("rolled_back");
        vendor.verify(3, postRequestedFor(urlEqualTo(VENDOR + "/reversal")));
        // parked by the dead-letter channel just after the final status reached the ledger
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Files.exists(data.resolve("dlq/evt-stuck.json")));
        JsonNode parked = RunningHub.readJson(data.resolve("dlq/evt-stuck.json"));
        assertThat(parked.path("status").asText()).isEqualTo("needs_attention");
        assertThat(parked.path("reason").asText()).contains("rollback failed on debit-vendor (HTTP 503")
                .contains("dashboard rolled_back").contains("mainframe rolled_back");
        assertThat(parked.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rollback_failed");
        assertThat(json(hub.get("/dlq")).get(0).path("status").asText()).isEqualTo("needs_attention");
    }

    private static int indexOf(List<JsonNode> ledger, String system, String action, String result) {
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode l = ledger.get(i);
            if (l.path("system").asText().equals(system) && l.path("action").asText().equals(action)
                    && l.path("result").asText().equals(result)) {
                return i;
            }
        }
        return -1;
    }

    private static void assertEmpty(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }
}
