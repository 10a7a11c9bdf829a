package org.hmssync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through, over HTTP, against the built-in simulators and a real outbox folder:
 * the same steps and the same answers whether the hub keeps its ledger in files ({@link WalkThroughIT})
 * or shares it in cluster mode ({@link ClusterWalkThroughIT}).
 */
abstract class WalkThroughTests {

    @TempDir
    Path data;
    RunningHub hub;

    /** A hub on {@code data}, the built-in simulators on. */
    abstract RunningHub startHub(Path data) throws Exception;

    /** The event's ledger lines where this mode keeps them, oldest first. */
    abstract List<JsonNode> ledgerLines(String id) throws Exception;

    /** The event's DLQ entry where this mode keeps it. */
    abstract JsonNode parkedEntry(String id) throws Exception;

    void afterHub() throws Exception {
    }

    @BeforeEach
    void start() throws Exception {
        hub = startHub(data);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            hub.close();
        } finally {
            afterHub();
        }
    }

    @Test
    void ohioFixCommitsOnAllThreeSystems() throws Exception {
        var accepted = hub.postEvent(event("ohio-fix-1", "OH", "OH-000123", "25"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted).path("rollback_token").asText()).isEqualTo("ohio-fix-1");
        assertThat(json(accepted).path("status_url").asText()).isEqualTo("/events/ohio-fix-1");

        JsonNode view = hub.awaitFinal("ohio-fix-1");
        assertThat(view.path("status").asText()).isEqualTo("committed");
        assertThat(view.path("decision").asText()).isEqualTo("commit");
        for (String system : List.of("debit-vendor", "dashboard", "mainframe")) {
            assertThat(view.path("systems").path(system).path("commit").asText()).as(system).isEqualTo("success");
        }

        JsonNode loads = json(hub.get("/sim/debit-vendor/loads"));
        assertThat(loads).hasSize(1);
        assertThat(loads.get(0).path("claimant_id").asText()).isEqualTo("OH-000123");
        assertThat(loads.get(0).path("delta_usd").decimalValue()).isEqualByComparingTo("25");
        JsonNode cost = json(hub.get("/sim/dashboard/program-cost?state=OH"));
        assertThat(cost.path("program_cost_usd").decimalValue()).isEqualByComparingTo("25");

        Path outbox = data.resolve("mainframe/outbox");
        assertThat(outbox.resolve("ohio-fix-1.dat")).exists();
        assertThat(outbox.resolve("ohio-fix-1.dat.done")).exists();
        assertThat(Files.readAllLines(outbox.resolve("ohio-fix-1.dat")).get(1))
                .startsWith("Dohio-fix-1").contains("OHOH-000123       +0000000250020261127");

        List<JsonNode> ledger = ledgerLines("ohio-fix-1");
        for (String system : List.of("debit-vendor", "dashboard", "mainframe")) {
            assertThat(ledger).as(system + " prepare and commit")
                    .anyMatch(l -> is(l, system, "prepare", "success"))
                    .anyMatch(l -> is(l, system, "commit", "success"));
        }
        assertThat(ledger.get(0).path("action").asText()).isEqualTo("received");
        assertThat(ledger).anyMatch(l -> is(l, "hub", "decision", "commit"));
        assertThat(json(hub.get("/ledger?event_id=ohio-fix-1"))).hasSize(ledger.size());
    }

    @Test
    void dashboardDownRollsBackEverywhereAndParks() throws Exception {
        assertThat(hub.put("/sim/dashboard/mode", "down").statusCode()).isEqualTo(200);
        hub.postEvent(event("ohio-fix-2", "OH", "OH-000124", "25"));

        JsonNode view = hub.awaitFinal("ohio-fix-2");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("dead_lettered").asBoolean()).isTrue();
        assertThat(view.path("systems").path("dashboard").path("state").asText()).isEqualTo("refused");
        assertThat(view.path("systems").path("debit-vendor").path("state").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("rolled_back");
        assertNothingApplied("ohio-fix-2");

        JsonNode dlq = json(hub.get("/dlq"));
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).path("id").asText()).isEqualTo("ohio-fix-2");
        assertThat(dlq.get(0).path("reason").asText()).isEqualTo("dashboard voted no at prepare: HTTP 503 Service Unavailable");
        assertThat(dlq.get(0).path("status").asText()).isEqualTo("rolled_back");
        JsonNode parked = parkedEntry("ohio-fix-2");
        assertThat(parked.path("event").path("payload").path("claimant_id").asText()).isEqualTo("OH-000124");
        assertThat(parked.path("event").path("occurred_at").asText()).isEqualTo("2026-11-27T02:14:11Z");
        assertThat(parked.path("systems").path("dashboard").path("state").asText()).isEqualTo("refused");
        assertThat(ledgerLines("ohio-fix-2")).anyMatch(l -> is(l, "hub", "dead_letter", "success"));
    }

    @Test
    void dashboardSlowRollsBackThroughTheTimeout() throws Exception {
        hub.put("/sim/dashboard/mode", "slow");
        hub.postEvent(event("ohio-fix-3", "OH", "OH-000125", "25"));

        JsonNode view = hub.awaitFinal("ohio-fix-3");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("reason").asText()).isEqualTo("dashboard voted no at prepare: no answer within 700 ms");
        List<JsonNode> ledger = ledgerLines("ohio-fix-3");
        assertThat(ledger).anyMatch(l -> is(l, "dashboard", "prepare", "failure")
                && l.path("error").asText().equals("no answer within 700 ms"));
        // the straggler answered later: it is rolled back too, not left prepared
        assertThat(ledger).anyMatch(l -> is(l, "dashboard", "rollback", "success"));
        assertThat(view.path("systems").path("dashboard").path("state").asText()).isEqualTo("rolled_back");
        assertNothingApplied("ohio-fix-3");
        assertThat(json(hub.get("/dlq")).get(0).path("id").asText()).isEqualTo("ohio-fix-3");
    }

    private void assertNothingApplied(String id) throws Exception {
        assertThat(json(hub.get("/sim/debit-vendor/loads"))).isEmpty();
        assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue()).isZero();
        try (Stream<Path> files = Files.list(data.resolve("mainframe/outbox"))) {
            assertThat(files).isEmpty();
        }
        try (Stream<Path> files = Files.list(data.resolve("mainframe/staging"))) {
            assertThat(files).as("nothing left prepared for " + id).isEmpty();
        }
    }

    static boolean is(JsonNode line, String system, String action, String result) {
        return line.path("system").asText().equals(system) && line.path("action").asText().equals(action)
                && line.path("result").asText().equals(result);
    }
}
