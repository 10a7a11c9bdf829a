package org.hmssync.observe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /observe/metrics and /observe/health say what happened, in Prometheus text and Camel's health JSON. */
class ObservabilityIT {

    @TempDir
    Path data;

    @Test
    void theMetricsOfAWalkThroughMatchWhatHappened() throws Exception {
        WireMockServer vendor = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        vendor.start();
        try {
            vendor.stubFor(post(urlMatching("/v/.*")).willReturn(aResponse().withStatus(200)));
            vendor.stubFor(post(urlEqualTo("/v")).inScenario("once").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
            vendor.stubFor(post(urlEqualTo("/v")).inScenario("once").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));
            try (RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.baseUrl() + "/v"))) {
                hub.postEvent(event("obs-1", "OH", "OH-1", "25"));
                hub.awaitFinal("obs-1");
                hub.put("/sim/dashboard/mode", "down");
                hub.postEvent(event("obs-2", "OH", "OH-2", "25"));
                hub.awaitFinal("obs-2");

                String metrics = hub.get("/observe/metrics").body();
                assertThat(value(metrics, "sync_events_total{status=\"committed\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_events_total{status=\"rolled_back\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_events_total{status=\"needs_attention\"}")).isEqualTo(0.0);
                assertThat(value(metrics, "sync_dlq_events")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_inflight_events")).isEqualTo(0.0);
                assertThat(value(metrics, "sync_retries_total{phase=\"commit\",system=\"debit-vendor\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_latency_ms_count{outcome=\"failure\",phase=\"prepare\",system=\"dashboard\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_latency_ms_count{outcome=\"success\",phase=\"commit\",system=\"mainframe\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "sync_latency_ms_count{outcome=\"success\",phase=\"rollback\",system=\"mainframe\"}")).isEqualTo(1.0);
                assertThat(metrics).contains("sync_latency_ms_bucket{outcome=\"success\",phase=\"prepare\",system=\"mainframe\",le=");
                System.out.println("metrics after the walk-through:\n" + metrics.lines().filter(l -> l.startsWith("sync_") && !l.contains("_bucket")).reduce("", (a, b) -> a + b + "\n"));
            }
        } finally {
            vendor.stop();
        }
    }

    @Test
    void readinessIsDownWhileTheDataFolderCannotBeWritten() throws Exception {
        try (RunningHub hub = RunningHub.start(data)) {
            assertThat(hub.get("/observe/health").statusCode()).isEqualTo(200);
            Path dlq = data.resolve("dlq");
            Path moved = data.resolveSibling(data.getFileName() + "-moved");
            Files.move(data, moved);
            Files.writeString(data, "not a folder");
            try {
                var health = hub.get("/observe/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("DOWN");
                var detail = hub.get("/observe/health?exposureLevel=full");
                assertThat(detail.body()).contains("data-folder");
            } finally {
                Files.delete(data);
                Files.move(moved, data);
            }
            assertThat(hub.get("/observe/health").statusCode()).isEqualTo(200);
            assertThat(dlq).exists();
        }
    }

    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no series " + series);
        }
        return Double.parseDouble(m.group(1));
    }
}
