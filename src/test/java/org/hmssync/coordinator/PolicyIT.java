package org.hmssync.coordinator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which systems follow which events is configuration; a fourth system is a copied file and a line. */
class PolicyIT {

    @TempDir
    Path data;
    @TempDir
    Path routes;
    WireMockServer portal;

    @BeforeEach
    void copyRoutesAndStartPortal() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path source : files.toList()) {
                Path target = routes.resolve(Path.of("routes").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        // README, "Add a system": copy the closest adapter and rename it
        String copy = Files.readString(routes.resolve("adapters/dashboard.camel.yaml")).replace("dashboard", "benefits-portal");
        Files.writeString(routes.resolve("adapters/benefits-portal.camel.yaml"), copy);
        portal = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        portal.start();
        portal.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stopPortal() {
        portal.stop();
    }

    @Test
    void aCopiedAdapterFileAndOneLineOfConfigurationAddAFourthSystem() throws Exception {
        try (RunningHub hub = RunningHub.start(data, Map.of(
                "hms.routes-location", "file:" + routes,
                "hms.adapters", "debit-vendor,dashboard,mainframe,benefits-portal",
                "hms.adapter.benefits-portal.url", portal.baseUrl() + "/portal",
                "hms.adapter.benefits-portal.when", "${body[payload][state]} == 'OH'"))) {
            hub.postEvent(event("four-oh", "OH", "OH-1", "25"));
            JsonNode oh = hub.awaitFinal("four-oh");
            assertThat(oh.path("status").asText()).isEqualTo("committed");
            assertThat(oh.path("systems").fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("debit-vendor", "dashboard", "mainframe", "benefits-portal");
            portal.verify(1, postRequestedFor(urlEqualTo("/portal")).withHeader("Idempotency-Key", equalTo("four-oh")));

            // the policy's simple predicate keeps a Kentucky event away from the portal
            hub.postEvent(event("four-ky", "KY", "KY-1", "25"));
            JsonNode ky = hub.awaitFinal("four-ky");
            assertThat(ky.path("status").asText()).isEqualTo("committed");
            assertThat(ky.path("systems").has("benefits-portal")).isFalse();
            assertThat(ky.path("systems").has("debit-vendor")).isTrue();

            // an event type nobody follows touches no system and still ends committed
            hub.postEvent("{\"id\":\"four-note\",\"type\":\"audit_note\",\"payload\":{}}");
            assertThat(hub.awaitFinal("four-note").path("systems").size()).isZero();
            portal.verify(1, postRequestedFor(urlEqualTo("/portal")));
        }
    }

    @Test
    void anAdapterNamedWithoutItsRouteFileStopsTheStart() throws Exception {
        Files.delete(routes.resolve("adapters/benefits-portal.camel.yaml"));
        assertThatThrownBy(() -> RunningHub.start(data, Map.of(
                "hms.routes-location", "file:" + routes,
                "hms.adapters", "debit-vendor,dashboard,mainframe,tax-office")).close())
                .hasStackTraceContaining("tax-office-prepare");
    }

    @Test
    void anAdapterFileWithoutItsUrlStopsTheStart() {
        assertThatThrownBy(() -> RunningHub.start(data, Map.of("hms.routes-location", "file:" + routes)).close())
                .hasStackTraceContaining("hms.adapter.benefits-portal.url");
    }
}
