package org.hmssync.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RouteFiles;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integration engineer with the jar alone: a fourth REST system is one file (written by
 * new-adapter) and an environment variable; validate names a broken file and line instead of a stack
 * trace; render shows the requests before anything is sent; an operator's config file sits under
 * the environment. Every hub here is the unchanged jar, started as a process.
 */
class AdapterFilesIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path routes;

    @BeforeEach
    void copyRoutes() throws Exception {
        routes = dir.resolve("routes");
        RouteFiles.copyTo(routes);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HMS_ROUTES_DIR", routes.toString());
        return env;
    }

    @Test
    void aFourthRestSystemIsOneFileAndAnEnvironmentVariable() throws Exception {
        HubProcess.Result written = HubProcess.command(env(), "new-adapter", "benefits-portal", "--routes", routes.toString());
        assertThat(written.exitCode()).as(written.output()).isZero();
        assertThat(written.output()).contains("HMS_ADAPTER_BENEFITS_PORTAL_URL");
        Path portalFile = routes.resolve("adapters/benefits-portal.camel.yaml");
        assertThat(portalFile).exists();
        // its policy is a setting in its own file: the scaffold's commented line, switched on
        Files.writeString(portalFile, Files.readString(portalFile).replace("# - {name: when,", "- {name: when,"));
        HubProcess.Result again = HubProcess.command(env(), "new-adapter", "benefits-portal", "--routes", routes.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains("exists already");

        try (FakeRestSystem portal = new FakeRestSystem()) {
            Map<String, String> env = env();
            env.put("HMS_ADAPTER_BENEFITS_PORTAL_URL", portal.url());
            HubProcess.Result valid = HubProcess.command(env, "validate");
            assertThat(valid.exitCode()).as(valid.output()).isZero();
            try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env)) {
                assertThat(hub.post("/events", event("portal-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "portal-1")));
                assertThat(JSON.readTree(hub.get("/events/portal-1").body()).path("systems").has("benefits-portal")).isTrue();
                assertThat(portal.commitCalls().get("portal-1").get()).isEqualTo(1);
                assertThat(hub.post("/events/portal-1/rollback", "").statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> "rolled_back".equals(status(hub, "portal-1")));
                assertThat(portal.holds("portal-1")).isFalse();
                assertThat(portal.calls("reversal")).isEqualTo(1);
                // a Kentucky event: the file's policy keeps it away from the portal, the others take it
                hub.post("/events", event("portal-ky", "KY", "KY-1", "25"));
                await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "portal-ky")));
                assertThat(JSON.readTree(hub.get("/events/portal-ky").body()).path("systems").has("benefits-portal")).isFalse();
                assertThat(portal.commitCalls()).doesNotContainKey("portal-ky");
            }
        }
    }

    @Test
    void aFileDropIsOneFileAndAFolder() throws Exception {
        HubProcess.Result written = HubProcess.command(env(), "new-adapter", "audit-drop", "--kind", "file", "--routes", routes.toString());
        assertThat(written.exitCode()).as(written.output()).isZero();
        assertThat(written.output()).contains("HMS_ADAPTER_AUDIT_DROP_DIR");
        Path drop = dir.resolve("drop");
        Map<String, String> env = env();
        env.put("HMS_ADAPTER_AUDIT_DROP_DIR", drop.toString());
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env)) {
            hub.post("/events", event("drop-1", "OH", "OH-1", "25.10"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "drop-1")));
            assertThat(JSON.readTree(Files.readString(drop.resolve("outbox/drop-1.json"))).path("payload").path("delta_usd").decimalValue())
                    .isEqualByComparingTo("25.10");
            assertThat(drop.resolve("staging/drop-1.json")).exists();
            assertThat(hub.post("/events/drop-1/rollback", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> "rolled_back".equals(status(hub, "drop-1")));
            assertThat(JSON.readTree(Files.readString(drop.resolve("outbox/drop-1.reversal.json"))).path("event_id").asText()).isEqualTo("drop-1");
            try (Stream<Path> outbox = Files.list(drop.resolve("outbox"))) {
                assertThat(outbox.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("drop-1.json", "drop-1.reversal.json");
            }
        }
    }

    @Test
    void validateNamesEachBrokenFileInOneLine() throws Exception {
        HubProcess.Result valid = HubProcess.command(env(), "validate");
        assertThat(valid.exitCode()).as(valid.output()).isZero();
        assertThat(valid.output()).contains("valid");

        // a route id typo: the hub's check names the file
        Path dashboard = routes.resolve("adapters/dashboard.camel.yaml");
        String original = Files.readString(dashboard);
        Files.writeString(dashboard, original.replace("routeId: dashboard-commit", "routeId: dashboard-comit"));
        HubProcess.Result typo = HubProcess.command(env(), "validate");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.output()).contains("dashboard.camel.yaml").contains("dashboard-commit is missing").doesNotContain("\tat ");

        // a jq expression that does not compile
        Files.writeString(dashboard, original.replace("value: \".payload + {event_id: .id}\"}", "value: \".payload + {event_id: .id\"}"));
        HubProcess.Result jq = HubProcess.command(env(), "validate");
        assertThat(jq.exitCode()).isEqualTo(1);
        assertThat(jq.output()).containsIgnoringCase("jq").doesNotContain("\tat ");

        // YAML that does not parse: the file and line
        Files.writeString(dashboard, original.replaceFirst("- templatedRoute:", "- templatedRoute: ["));
        HubProcess.Result yaml = HubProcess.command(env(), "validate");
        assertThat(yaml.exitCode()).isEqualTo(1);
        assertThat(yaml.output()).contains("dashboard.camel.yaml").doesNotContain("\tat ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env()))
                .hasMessageContaining("HMS-SYNC did not start").hasMessageContaining("dashboard.camel.yaml, line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat "));

        // the mainframe team's copybook moved a field: the hub would write records the batch misreads
        Files.writeString(dashboard, original);
        Path copybook = routes.resolve("mainframe/SYNCREC.cpy");
        String layout = Files.readString(copybook);
        Files.writeString(copybook, layout.replace("SD-CLAIMANT-ID         PIC X(16)", "SD-CLAIMANT-ID         PIC X(21)"));
        HubProcess.Result moved = HubProcess.command(env(), "validate");
        assertThat(moved.exitCode()).isEqualTo(1);
        assertThat(moved.output()).contains("routes/mainframe/SYNCREC.cpy: SYNC-DETAIL SD-CLAIMANT-ID is at").doesNotContain("\tat ");
        Files.writeString(copybook, layout);

        // a new system whose URL nobody set
        Files.writeString(dashboard, original);
        assertThat(HubProcess.command(env(), "new-adapter", "no-url", "--routes", routes.toString()).exitCode()).isZero();
        HubProcess.Result unset = HubProcess.command(env(), "validate");
        assertThat(unset.exitCode()).isEqualTo(1);
        assertThat(unset.output()).contains("hms.adapter.no-url.url").contains("HMS_ADAPTER_NO_URL_URL").doesNotContain("\tat ");
        // the hub itself refuses the same way, in one line, not with Camel's stack trace
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env()))
                .hasMessageContaining("HMS-SYNC did not start").hasMessageContaining("no-url.camel.yaml")
                .hasMessageContaining("HMS_ADAPTER_NO_URL_URL").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat "));
    }

    @Test
    void renderShowsTheRequestsWithoutSendingThem() throws Exception {
        try (FakeRestSystem vendor = new FakeRestSystem()) {
            Path sample = dir.resolve("event.json");
            Files.writeString(sample, event("render-1", "OH", "OH-7", "25.10"));
            Map<String, String> env = env();
            env.put("HMS_DEBIT_VENDOR_URL", vendor.url().replace("http://", "http://agency:s3cret@") + "?apikey=k3y");
            HubProcess.Result rendered = HubProcess.command(env, "render", "debit-vendor", sample.toString());
            assertThat(rendered.exitCode()).as(rendered.output()).isZero();
            assertThat(rendered.output())
                    .contains("== prepare").contains("== commit").contains("== rollback")
                    .contains("POST http://****@127.0.0.1:")
                    .contains("Idempotency-Key: render-1")
                    .contains("\"delta_usd\":25.10").contains("\"event_id\":\"render-1\"")
                    .doesNotContain("s3cret").doesNotContain("k3y");
            assertThat(vendor.calls("dry-run") + vendor.calls("commit") + vendor.calls("reversal")).as("nothing was sent").isZero();
            HubProcess.Result unknown = HubProcess.command(env(), "render", "billing", sample.toString());
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.output()).contains("no adapter 'billing'");
        }
    }

    @Test
    void renderPrintsWhatThePeerThenReceivesByteForByte() throws Exception {
        WireMockServer peer = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        peer.start();
        try {
            peer.stubFor(post(urlMatching("/vendor.*")).willReturn(aResponse().withStatus(200)));
            Path sample = dir.resolve("event.json");
            Files.writeString(sample, event("same-1", "OH", "OH-8", "1234.56"));
            Map<String, String> env = env();
            env.put("HMS_DEBIT_VENDOR_URL", peer.baseUrl() + "/vendor");
            HubProcess.Result rendered = HubProcess.command(env, "render", "debit-vendor", sample.toString());
            assertThat(rendered.exitCode()).as(rendered.output()).isZero();
            try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env)) {
                hub.post("/events", Files.readString(sample));
                await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "same-1")));
                hub.post("/events/same-1/rollback", "");
                await().atMost(Duration.ofSeconds(20)).until(() -> "rolled_back".equals(status(hub, "same-1")));
            }
            for (String path : List.of("/vendor/dry-run", "/vendor", "/vendor/reversal")) {
                List<LoggedRequest> received = peer.findAll(postRequestedFor(urlEqualTo(path)));
                assertThat(received).as(path).hasSize(1);
                LoggedRequest request = received.get(0);
                assertThat(rendered.output()).as(path)
                        .contains("POST " + peer.baseUrl() + path + "\n")
                        .contains("Idempotency-Key: " + request.getHeader("Idempotency-Key"))
                        .contains("Content-Type: " + request.getHeader("Content-Type"))
                        .contains("\n   " + request.getBodyAsString() + "\n");
            }
        } finally {
            peer.stop();
        }
    }

    @Test
    void anOperatorsConfigFileBeatsTheDefaultsAndSitsUnderTheEnvironment() throws Exception {
        try (FakeRestSystem portal = new FakeRestSystem(); FakeRestSystem wrong = new FakeRestSystem();
             FakeRestSystem vendor = new FakeRestSystem(); FakeRestSystem dashboard = new FakeRestSystem()) {
            assertThat(HubProcess.command(env(), "new-adapter", "benefits-portal", "--routes", routes.toString()).exitCode()).isZero();
            Path config = dir.resolve("operator.properties");
            Files.writeString(config, "# a setting by the variable the contract names, or by the hub's key\n"
                    + "HMS_DEBIT_VENDOR_URL = " + vendor.url() + "\n"
                    + "hms.adapter.dashboard.url = " + dashboard.url() + "\n"
                    + "HMS_ADAPTER_BENEFITS_PORTAL_URL = " + wrong.url() + "\n"
                    + "hms.adapter.benefits-portal.event-types = benefit_adjusted\n"
                    + "hms.hold.max-s = 120\n");
            Map<String, String> env = env();
            env.put("HMS_CONFIG", config.toString());
            env.put("HMS_ADAPTER_BENEFITS_PORTAL_URL", portal.url());   // the environment wins over the file
            try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env)) {
                hub.post("/events", event("cfg-1", "OH", "OH-2", "5"));
                await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "cfg-1")));
                assertThat(portal.commitCalls().get("cfg-1").get()).isEqualTo(1);
                assertThat(wrong.calls("commit")).isZero();
                // both over the jar's defaults (the simulators)
                assertThat(vendor.commitCalls().get("cfg-1").get()).as("HMS_DEBIT_VENDOR_URL from the file").isEqualTo(1);
                assertThat(dashboard.commitCalls().get("cfg-1").get()).as("hms.adapter.dashboard.url from the file").isEqualTo(1);
            }
            // the jar's commands read the same file: verify-ledger finds the ledger of the data folder it names
            Path forCommands = Files.writeString(dir.resolve("commands.properties"), "HMS_DATA_DIR = " + dir.resolve("data") + "\n");
            Map<String, String> commandEnv = env();
            commandEnv.put("HMS_CONFIG", forCommands.toString());
            HubProcess.Result verified = HubProcess.command(commandEnv, "verify-ledger");
            assertThat(verified.exitCode()).as(verified.output()).isZero();
            assertThat(verified.output()).contains(dir.resolve("data").resolve("ledger.jsonl") + " verifies");

            env.put("HMS_CONFIG", dir.resolve("missing.properties").toString());
            HubProcess.Result missing = HubProcess.command(env, "validate");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.output()).contains("HMS_CONFIG names").contains("missing.properties");
            HubProcess.Result missingForCommand = HubProcess.command(env, "verify-ledger");
            assertThat(missingForCommand.exitCode()).as(missingForCommand.output()).isEqualTo(2);
            assertThat(missingForCommand.output()).contains("HMS_CONFIG names").contains("missing.properties");
        }
    }

    @Test
    void aRoutesFolderOfAdaptersAloneTakesTheTemplatesAndSimulatorsFromTheJar() throws Exception {
        Path own = dir.resolve("own-routes");
        Files.createDirectories(own.resolve("adapters"));
        try (Stream<Path> adapters = Files.list(routes.resolve("adapters"))) {
            for (Path adapter : adapters.toList()) {
                Files.copy(adapter, own.resolve("adapters").resolve(adapter.getFileName()));
            }
        }
        Map<String, String> env = Map.of("HMS_ROUTES_DIR", own.toString());
        HubProcess.Result validated = HubProcess.command(env, "validate");
        assertThat(validated.exitCode()).as(validated.output()).isZero();
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), Map.of(), env)) {
            hub.post("/events", event("own-1", "OH", "OH-3", "25"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "committed".equals(status(hub, "own-1")));
            assertThat(JSON.readTree(hub.get("/sim/debit-vendor/loads").body()).toString()).as("the jar's simulator took the load").contains("own-1");
        }
    }

    private static String status(HubProcess hub, String id) throws Exception {
        return JSON.readTree(hub.get("/events/" + id).body()).path("status").asText();
    }
}
