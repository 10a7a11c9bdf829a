package org.hmssync.circuits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holding through an outage (contract section 2), against real HTTP peers: while the dashboard
 * answers 503 its circuit opens, events that need it wait (held, durably, in claimant order) instead
 * of being parked, a decided commit waits for it instead of compensating, and when it answers again
 * every event commits exactly once everywhere. A refusal (4xx) is still a real no; without a hold an
 * open circuit fails fast; a hold has an end.
 */
class HoldThroughOutageIT {

    @TempDir
    Path data;
    FakeRestSystem vendor;
    FakeRestSystem dashboard;

    @BeforeEach
    void start() throws Exception {
        vendor = new FakeRestSystem();
        dashboard = new FakeRestSystem();
    }

    @AfterEach
    void stop() {
        vendor.close();
        dashboard.close();
    }

    /** Quick circuits: a probe after 200 ms, then at most every 800 ms. */
    private Map<String, String> settings(String holdS) {
        Map<String, String> p = new HashMap<>();
        p.put("hms.adapter.debit-vendor.url", vendor.url());
        p.put("hms.adapter.dashboard.url", dashboard.url());
        p.put("hms.hold.max-s", holdS);
        p.put("hms.circuit.open-wait-ms", "200");
        p.put("hms.circuit.open-wait-max-ms", "800");
        return p;
    }

    @Test
    void anOutageHoldsEventsInClaimantOrderAndEachCommitsOnceWhenTheSystemIsBack() throws Exception {
        try (RunningHub hub = RunningHub.start(data, settings("3600"))) {
            dashboard.fail(Map.of("dry-run", 503));
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                for (int c = 0; c < 8; c++) {
                    String id = "out-" + c + "-" + n;
                    ids.add(id);
                    assertThat(hub.postEvent(RunningHub.event(id, "OH", "OH-" + c, "25")).statusCode()).isEqualTo(202);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(
                    json(hub.get("/systems")).path("dashboard").path("circuit").asText()));
            await().atMost(Duration.ofSeconds(20)).until(() -> status(hub, "out-0-0").equals("held"));
            JsonNode systems = json(hub.get("/systems"));
            assertThat(systems.path("dashboard").path("held_events").asInt()).isPositive();
            assertThat(systems.path("debit-vendor").path("circuit").asText()).isEqualTo("closed");
            assertThat(systems.path("dashboard").path("since").asText()).isNotBlank();
            Thread.sleep(1500);   // through a few probes
            for (String id : ids) {
                assertThat(status(hub, id)).as(id).isIn("received", "held", "preparing", "rolling_back");
            }
            assertThat(json(hub.get("/dlq")).size()).as("nothing is parked while the system is down").isZero();
            assertThat(vendor.total()).as("nothing is held on the vendor meanwhile").isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(hub.ledgerOnDisk("out-0-0")).anySatisfy(l -> {
                assertThat(l.path("action").asText()).isEqualTo("decision");
                assertThat(l.path("result").asText()).isEqualTo("hold");
            });
            assertThat(json(hub.get("/events/out-0-0")).path("held_since").asText())
                    .isNotBlank();
            String metrics = hub.get("/observe/metrics").body();
            assertThat(metrics).contains("sync_circuit_open{system=\"dashboard\"} 1.0").contains("sync_held_events{system=\"dashboard\"}");

            dashboard.healthy();
            for (String id : ids) {
                assertThat(hub.awaitFinal(id).path("status").asText()).as(id).isEqualTo("committed");
                assertThat(vendor.commitCalls().get(id).get()).as(id).isEqualTo(1);
                assertThat(dashboard.commitCalls().get(id).get()).as(id).isEqualTo(1);
            }
            assertThat(json(hub.get("/dlq")).size()).isZero();
            assertThat(vendor.total()).isEqualByComparingTo(new BigDecimal(25 * ids.size()));
            assertThat(dashboard.total()).isEqualByComparingTo(new BigDecimal(25 * ids.size()));
            // every claimant's adjustments reached the dashboard in the order they were posted
            Map<String, List<String>> order = new HashMap<>();
            dashboard.commitOrder().forEach(c -> order.computeIfAbsent(c[1], k -> new ArrayList<>()).add(c[0]));
            for (int c = 0; c < 8; c++) {
                assertThat(order.get("OH-" + c)).containsExactly("out-" + c + "-0", "out-" + c + "-1", "out-" + c + "-2");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> "closed".equals(
                    json(hub.get("/systems")).path("dashboard").path("circuit").asText()));
            assertThat(json(hub.get("/systems")).path("dashboard").path("held_events").asInt()).isZero();
        }
    }

    @Test
    void aDecidedCommitWaitsForItsSystemInsteadOfCompensating() throws Exception {
        try (RunningHub hub = RunningHub.start(data, settings("3600"))) {
            dashboard.fail(Map.of("commit", 503));
            hub.postEvent(RunningHub.event("late-commit", "OH", "OH-1", "25"));
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.ledgerOnDisk("late-commit").stream().anyMatch(l ->
                    l.path("system").asText().equals("dashboard") && l.path("action").asText().equals("commit")
                            && l.path("result").asText().equals("failure")));
            Thread.sleep(1500);
            assertThat(status(hub, "late-commit")).isEqualTo("committing");
            dashboard.healthy();
            assertThat(hub.awaitFinal("late-commit").path("status").asText()).isEqualTo("committed");
            assertThat(vendor.calls("reversal")).as("never compensated").isZero();
            assertThat(dashboard.commitCalls().get("late-commit").get()).isEqualTo(1);
            assertThat(vendor.commitCalls().get("late-commit").get()).isEqualTo(1);
        }
    }

    @Test
    void aRefusalIsARealNoEvenWithAHold() throws Exception {
        try (RunningHub hub = RunningHub.start(data, settings("3600"))) {
            dashboard.fail(Map.of("dry-run", 422));
            hub.postEvent(RunningHub.event("refused", "OH", "OH-1", "25"));
            JsonNode done = hub.awaitFinal("refused");
            assertThat(done.path("status").asText()).isEqualTo("rolled_back");
            assertThat(done.path("reason").asText()).contains("HTTP 422");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).size() == 1);
            assertThat(json(hub.get("/systems")).path("dashboard").path("circuit").asText()).isEqualTo("closed");
        }
    }

    @Test
    void withoutAHoldAnOpenCircuitFailsFastWithoutACallAndParks() throws Exception {
        Map<String, String> noHold = settings("0");
        noHold.put("hms.circuit.open-wait-ms", "60000");   // stays open for the test
        noHold.put("hms.circuit.open-wait-max-ms", "60000");
        try (RunningHub hub = RunningHub.start(data, noHold)) {
            dashboard.fail(Map.of("dry-run", 503));
            for (int i = 0; i < 12; i++) {
                hub.postEvent(RunningHub.event("fast-" + i, "OH", "OH-" + i, "25"));
                assertThat(hub.awaitFinal("fast-" + i).path("status").asText()).isEqualTo("rolled_back");
            }
            assertThat(json(hub.get("/systems")).path("dashboard").path("circuit").asText()).isEqualTo("open");
            assertThat(dashboard.calls("dry-run")).as("calls stop once the circuit opens").isLessThanOrEqualTo(5);
            assertThat(json(hub.get("/events/fast-11")).path("reason").asText()).contains("circuit open");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).size() == 12);
            assertThat(vendor.total()).isEqualByComparingTo(BigDecimal.ZERO);
        }
    }

    @Test
    void aHoldHasAnEndAfterWhichTheEventIsParked() throws Exception {
        try (RunningHub hub = RunningHub.start(data, settings("2"))) {
            dashboard.fail(Map.of("dry-run", 503));
            hub.postEvent(RunningHub.event("too-long", "OH", "OH-1", "25"));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(hub, "too-long").equals("held"));
            JsonNode done = hub.awaitFinal("too-long");
            assertThat(done.path("status").asText()).isEqualTo("rolled_back");
            assertThat(done.path("reason").asText()).contains("HMS_HOLD_MAX_S");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).size() == 1);
            assertThat(vendor.total()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(vendor.holds("too-long")).isFalse();
        }
    }

    @Test
    void heldEventsOutliveARestartAndCommitOnceAfterIt() throws Exception {
        try (RunningHub hub = RunningHub.start(data, settings("3600"))) {
            dashboard.fail(Map.of("dry-run", 503));
            for (int i = 0; i < 3; i++) {
                hub.postEvent(RunningHub.event("kept-" + i, "OH", "OH-9", "25"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> status(hub, "kept-0").equals("held"));
        }
        dashboard.healthy();
        try (RunningHub hub = RunningHub.start(data, settings("3600"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(hub.awaitFinal("kept-" + i).path("status").asText()).isEqualTo("committed");
                assertThat(dashboard.commitCalls().get("kept-" + i).get()).isEqualTo(1);
                assertThat(vendor.commitCalls().get("kept-" + i).get()).isEqualTo(1);
            }
            assertThat(dashboard.commitOrder().stream().map(c -> c[0]).toList()).containsExactly("kept-0", "kept-1", "kept-2");
        }
    }

    private static String status(RunningHub hub, String id) throws Exception {
        return json(hub.get("/events/" + id)).path("status").asText();
    }
}
