package org.hmssync.adapters;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RouteFiles;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HMS_ROUTES_RELOAD: an edited adapter file is checked, then swapped in between events. An event
 * preparing while the file changes finishes on the version it started with (its commit as before),
 * the next event uses the new one; an edit that does not compile is refused, the running version
 * stays, and the health detail says why.
 */
class AdapterReloadIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path routes;
    WireMockServer dashboard;

    @BeforeEach
    void start() throws Exception {
        routes = dir.resolve("routes");
        RouteFiles.copyTo(routes);
        dashboard = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        dashboard.start();
        dashboard.stubFor(post(urlMatching("/dash.*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        dashboard.stop();
    }

    @Test
    void aValidEditIsSwappedInBetweenEventsAndABrokenOneIsRefused() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HMS_ROUTES_DIR", routes.toString());
        env.put("HMS_ROUTES_RELOAD", "true");
        env.put("HMS_DASHBOARD_URL", dashboard.baseUrl() + "/dash");
        Path file = routes.resolve("adapters/dashboard.camel.yaml");
        String original = Files.readString(file);
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of("hms.prepare-timeout-ms", "8000"), env)) {
            // an event preparing slowly while the file changes
            dashboard.stubFor(post(urlEqualTo("/dash/dry-run")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
            hub.post("/events", event("before", "OH", "OH-1", "25"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !dashboard.findAll(postRequestedFor(urlEqualTo("/dash/dry-run"))).isEmpty());
            Files.writeString(file, original.replace("{name: phase, value: commit}\n      - {name: url, value: \"{{hms.adapter.dashboard.url}}\"}\n"
                    + "      - {name: body, value: \".payload + {event_id: .id}\"}", "{name: phase, value: commit}\n"
                    + "      - {name: url, value: \"{{hms.adapter.dashboard.url}}\"}\n      - {name: body, value: \".payload + {event_id: .id, version: 2}\"}"));
            assertThat(Files.readString(file)).contains("version: 2");
            await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "before")));
            dashboard.verify(postRequestedFor(urlEqualTo("/dash")).withHeader("Idempotency-Key", equalTo("before"))
                    .withRequestBody(equalTo("{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":25,\"event_id\":\"before\"}")));

            dashboard.stubFor(post(urlEqualTo("/dash/dry-run")).willReturn(aResponse().withStatus(200)));
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.log().contains("adapter dashboard reloaded"));
            hub.post("/events", event("after", "OH", "OH-2", "25"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "after")));
            dashboard.verify(postRequestedFor(urlEqualTo("/dash")).withHeader("Idempotency-Key", equalTo("after"))
                    .withRequestBody(containing("\"version\":2")));

            // an edit whose jq does not compile: refused, the version 2 routes keep running
            Files.writeString(file, Files.readString(file).replace("version: 2}", "version: 2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.log().contains("is not loaded, the running version stays"));
            assertThat(hub.get("/observe/health?exposureLevel=full").body()).contains("adapter-reload")
                    .contains("dashboard.camel.yaml: the edit is not loaded, the running version stays");
            hub.post("/events", event("still", "OH", "OH-3", "25"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "still")));
            dashboard.verify(postRequestedFor(urlEqualTo("/dash")).withHeader("Idempotency-Key", equalTo("still"))
                    .withRequestBody(containing("\"version\":2")));
        }
    }

    private static String status(HubProcess hub, String id) throws Exception {
        return JSON.readTree(hub.get("/events/" + id).body()).path("status").asText();
    }
}
