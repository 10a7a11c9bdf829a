package org.hmssync.coordinator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hmssync.support.RouteFiles;
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
        RouteFiles.copyTo(routes);
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
                "hms.adapter.benefits-portal.when", "${body[payload][state]} == 'OH'",
                "hms.adapter.benefits-portal.event-types", "benefit_adjusted"))) {
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

            // an event type nobody follows would end with nothing applied: refused at the door, naming type
            HttpResponse<String> note = hub.postEvent("{\"id\":\"four-note\",\"type\":\"audit_note\",\"payload\":{}}");
            assertThat(note.statusCode()).isEqualTo(400);
            assertThat(json(note).path("details").get(0).path("field").asText()).isEqualTo("type");
            assertThat(json(note).path("error").asText()).contains("audit_note");
            assertThat(hub.get("/events/four-note").statusCode()).isEqualTo(404);
            portal.verify(1, postRequestedFor(urlEqualTo("/portal")));
        }
    }

    @Test
    void anEventEveryAdaptersPolicyExcludesEndsSkippedWithNothingAsked() throws Exception {
        String ohioOnly = "${body[payload][state]} == 'OH'";
        try (RunningHub hub = RunningHub.start(data, Map.of(
                "hms.adapters", "debit-vendor,dashboard,mainframe,benefits-portal",
                "hms.routes-location", "file:" + routes,
                "hms.adapter.benefits-portal.url", portal.baseUrl() + "/portal",
                "hms.adapter.debit-vendor.when", ohioOnly,
                "hms.adapter.dashboard.when", ohioOnly,
                "hms.adapter.mainframe.when", ohioOnly,
                "hms.adapter.benefits-portal.when", ohioOnly))) {
            assertThat(hub.postEvent(event("skip-ky", "KY", "KY-1", "25")).statusCode()).isEqualTo(202);
            JsonNode ky = hub.awaitFinal("skip-ky");
            assertThat(ky.path("status").asText()).isEqualTo("skipped");
            assertThat(ky.path("systems").size()).isZero();
            assertThat(ky.path("dead_lettered").asBoolean()).isFalse();
            assertThat(hub.ledgerOnDisk("skip-ky")).extracting(l -> l.path("action").asText() + "/" + l.path("result").asText())
                    .containsExactly("received/success", "decision/skip");
            assertThat(json(hub.get("/sim/debit-vendor/loads")).toString()).doesNotContain("skip-ky");
            assertThat(hub.dataDir().resolve("mainframe/staging/skip-ky.dat")).doesNotExist();
            assertThat(hub.dataDir().resolve("mainframe/outbox/skip-ky.dat")).doesNotExist();
            portal.verify(0, postRequestedFor(urlMatching("/portal.*")));
            assertThat(json(hub.get("/dlq"))).isEmpty();
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

    @Test
    void aMisspelledEndpointInAnAdapterFileStopsTheStartNamingTheFileAndLine() throws Exception {
        // the route id is right, the endpoint is not: before, three systems committed and the fourth's
        // commit waited 30 s per attempt for a consumer, then every system was reversed
        Path file = routes.resolve("adapters/benefits-portal.camel.yaml");
        writeOut(file);
        Files.writeString(file, Files.readString(file).replace("uri: direct:benefits-portal-commit", "uri: direct:benefits-portal-comit"));
        int line = lineOf(file, "direct:benefits-portal-comit");
        assertThatThrownBy(() -> RunningHub.start(data, Map.of(
                "hms.routes-location", "file:" + routes,
                "hms.adapters", "debit-vendor,dashboard,mainframe,benefits-portal",
                "hms.adapter.benefits-portal.url", portal.baseUrl() + "/portal")).close())
                .hasMessageContaining("benefits-portal.camel.yaml:" + line + ": route benefits-portal-commit starts at "
                        + "direct:benefits-portal-comit; it must start at direct:benefits-portal-commit")
                .hasNoCause();
        portal.verify(0, postRequestedFor(urlMatching("/portal.*")));
        assertThat(data.resolve("ledger.jsonl")).satisfiesAnyOf(
                f -> assertThat(f).doesNotExist(), f -> assertThat(Files.readString(f)).isEmpty());
    }

    @Test
    void aRouteFileThatSendsToAnEndpointNobodyConsumesStopsTheStart() throws Exception {
        Path file = routes.resolve("adapters/benefits-portal.camel.yaml");
        writeOut(file);
        String yaml = Files.readString(file);
        int steps = yaml.indexOf("steps:", yaml.indexOf("uri: direct:benefits-portal-rollback"));
        String indent = " ".repeat(steps - yaml.lastIndexOf('\n', steps) - 1 + 2);
        Files.writeString(file, yaml.substring(0, steps) + "steps:\n" + indent + "- to: direct:benefits-portal-audt"
                + yaml.substring(steps + "steps:".length()));
        assertThatThrownBy(() -> RunningHub.start(data, Map.of(
                "hms.routes-location", "file:" + routes,
                "hms.adapters", "debit-vendor,dashboard,mainframe,benefits-portal",
                "hms.adapter.benefits-portal.url", portal.baseUrl() + "/portal")).close())
                .hasMessageContaining("benefits-portal.camel.yaml")
                .hasMessageContaining("route benefits-portal-rollback sends to direct:benefits-portal-audt, which no route consumes");
    }

    /** The portal as three routes written out, as a system the template cannot express would be. */
    private static void writeOut(Path file) throws Exception {
        try (var in = PolicyIT.class.getResourceAsStream("/adapters/written-out-rest.camel.yaml")) {
            Files.writeString(file, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("dashboard", "benefits-portal"));
        }
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @Test
    void camelsOwnRouteReloadIsRefusedAtStartWithAClearMessage() {
        assertThatThrownBy(() -> RunningHub.start(data, Map.of("camel.main.routes-reload-enabled", "true",
                "camel.main.routes-reload-directory", routes.toString())).close())
                .hasMessageContaining("camel.main.routes-reload-enabled=true is not supported");
    }
}
