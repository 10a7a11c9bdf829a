package org.hmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger is the hub's memory: statuses, the DLQ and idempotency survive a restart. */
class RestartIT {

    @TempDir
    Path data;

    @Test
    void aRestartKeepsEveryStatusAndRefusesToApplyAKnownIdAgain() throws Exception {
        WireMockServer vendor = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        vendor.start();
        try {
            vendor.stubFor(post(urlMatching("/v/.*")).willReturn(aResponse().withStatus(200)));
            vendor.stubFor(post(urlEqualTo("/v")).willReturn(aResponse().withStatus(200)));
            Map<String, String> props = Map.of("hms.adapter.debit-vendor.url", vendor.baseUrl() + "/v");

            JsonNode before;
            try (RunningHub hub = RunningHub.start(data, props)) {
                hub.postEvent(event("keep-1", "OH", "OH-1", "25"));
                before = hub.awaitFinal("keep-1");
                hub.put("/sim/dashboard/mode", "down");
                hub.postEvent(event("keep-2", "OH", "OH-2", "5"));
                hub.awaitFinal("keep-2");
            }
            long linesAtStop = Files.readAllLines(data.resolve("ledger.jsonl")).size();

            try (RunningHub hub = RunningHub.start(data, props)) {
                JsonNode after = json(hub.get("/events/keep-1"));
                assertThat(after.path("status").asText()).isEqualTo("committed");
                assertThat(after.path("systems")).isEqualTo(before.path("systems"));
                assertThat(json(hub.get("/events/keep-2")).path("status").asText()).isEqualTo("rolled_back");
                assertThat(json(hub.get("/dlq")).findValuesAsText("id")).containsExactly("keep-2");
                assertThat(json(hub.get("/ledger?event_id=keep-1")).size()).isEqualTo(hub.ledgerOnDisk("keep-1").size());

                var again = hub.postEvent(event("keep-1", "OH", "OH-1", "25"));
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(json(again).path("status").asText()).isEqualTo("committed");
                assertThat(Files.readAllLines(data.resolve("ledger.jsonl"))).hasSize((int) linesAtStop);
                vendor.verify(1, postRequestedFor(urlEqualTo("/v")));
            }
        } finally {
            vendor.stop();
        }
    }

    @Test
    void aTornLastLedgerLineIsSkippedNotFatal() throws Exception {
        try (RunningHub hub = RunningHub.start(data)) {
            hub.postEvent(event("torn-1", "OH", "OH-1", "25"));
            hub.awaitFinal("torn-1");
        }
        Files.writeString(data.resolve("ledger.jsonl"), "{\"time\":\"2026-11-27T00:00:00Z\",\"event_id\":\"torn-1\",\"sys",
                StandardOpenOption.APPEND);

        try (RunningHub hub = RunningHub.start(data)) {
            assertThat(json(hub.get("/events/torn-1")).path("status").asText()).isEqualTo("committed");
            hub.postEvent(event("torn-2", "OH", "OH-2", "1"));
            assertThat(hub.awaitFinal("torn-2").path("status").asText()).isEqualTo("committed");
        }
        // the torn fragment stays on a line of its own; every other line is whole JSON
        var lines = Files.readAllLines(data.resolve("ledger.jsonl"));
        assertThat(lines).filteredOn(l -> l.endsWith("\"sys")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.contains("torn-2")).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
    }
}
