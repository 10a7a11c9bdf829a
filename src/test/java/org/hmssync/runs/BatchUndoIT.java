package org.hmssync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.hmssync.support.CobolBatch;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rollback token for the whole Ohio fix: every committed event of the batch is undone exactly
 * once on every system, however often and however concurrently the undo is asked for, an event
 * still running when it is asked is undone once it commits, the batch refuses new events, and the
 * mainframe batch (GnuCOBOL) nets the batch to zero.
 */
class BatchUndoIT {

    private static final int EVENTS = 120;

    @TempDir
    Path data;
    FakeRestSystem vendor;
    ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        vendor = new FakeRestSystem();
        pool = Executors.newFixedThreadPool(12);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        vendor.close();
    }

    private static String event(String id, String batch, String claimant, String usd) {
        return "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"batch_id\":\"" + batch + "\",\"payload\":{\"state\":\""
                + claimant.substring(0, 2) + "\","
                + "\"claimant_id\":\"" + claimant + "\",\"delta_usd\":" + usd + "},\"occurred_at\":\"2026-11-27T02:14:11Z\"}";
    }

    @Test
    void oneTokenUndoesTheWholeBatchOnceOnEverySystem() throws Exception {
        // a prepare deadline the late event's slow vendor can meet: it must commit, then be undone
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.url(),
                "hms.prepare-timeout-ms", "5000"))) {
            for (int i = 0; i < EVENTS; i++) {
                assertThat(hub.postEvent(event("ohio-" + i, "ohio-fix", "OH-" + i, "25")).statusCode()).isEqualTo(202);
            }
            hub.postEvent(event("ky-1", "ky-fix", "KY-1", "7"));
            for (int i = 0; i < EVENTS; i++) {
                assertThat(hub.awaitFinal("ohio-" + i).path("status").asText()).isEqualTo("committed");
            }
            assertThat(hub.awaitFinal("ky-1").path("status").asText()).isEqualTo("committed");
            JsonNode batch = json(hub.get("/batches/ohio-fix"));
            assertThat(batch.path("events").asInt()).isEqualTo(EVENTS);
            assertThat(batch.path("by_status").path("committed").asInt()).isEqualTo(EVENTS);
            assertThat(batch.path("systems").path("debit-vendor").path("committed").asInt()).isEqualTo(EVENTS);
            assertThat(batch.path("rollback").isNull()).isTrue();
            assertThat(hub.ledgerOnDisk("ohio-7")).allSatisfy(l -> assertThat(l.path("batch_id").asText()).isEqualTo("ohio-fix"));

            // the mainframe batch takes half the files before the undo: those get reversals, the rest are withdrawn
            Path taken = data.resolve("taken");
            List<Path> picked = new ArrayList<>(CobolBatch.pickUp(data.resolve("mainframe/outbox"), taken));
            assertThat(picked).isNotEmpty();

            // ten operators ask at once; and one event of the batch is still preparing when they do
            vendor.delay(Map.of("dry-run", 1500L));
            hub.postEvent(event("ohio-late", "ohio-fix", "OH-late", "25"));
            await().atMost(Duration.ofSeconds(10)).until(() -> vendor.calls("dry-run") == EVENTS + 2);
            List<Integer> codes = hub.postAllAtOnce(pool, java.util.Collections.nCopies(10, "/batches/ohio-fix/rollback"));
            assertThat(codes).containsOnly(202);
            vendor.healthy();

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    "done".equals(json(hub.get("/batches/ohio-fix")).path("rollback").path("status").asText()));
            JsonNode undone = json(hub.get("/batches/ohio-fix"));
            assertThat(undone.path("by_status").path("rolled_back").asInt()).isEqualTo(EVENTS + 1);
            assertThat(undone.path("rollback").path("total").asInt()).isEqualTo(EVENTS + 1);
            assertThat(undone.path("rollback").path("done").asInt()).isEqualTo(EVENTS + 1);
            for (int i = 0; i < EVENTS; i++) {
                String id = "ohio-" + i;
                assertThat(vendor.commitCalls().get(id).get()).as(id).isEqualTo(1);
                assertThat(vendor.holds(id)).as(id).isFalse();
                assertThat(hub.ledgerOnDisk(id)).as(id).filteredOn(l -> l.path("action").asText().equals("decision")
                        && l.path("result").asText().equals("abort")).hasSize(1);
            }
            assertThat(vendor.holds("ohio-late")).as("undone once it committed").isFalse();
            assertThat(vendor.calls("reversal")).isEqualTo(EVENTS + 1);
            assertThat(vendor.total()).isEqualByComparingTo("7");   // only Kentucky's batch is left
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(json(hub.get("/events/ky-1")).path("status").asText()).isEqualTo("committed");

            // the mainframe: what the batch took is reversed, what it had not taken was withdrawn
            picked.addAll(CobolBatch.pickUp(data.resolve("mainframe/outbox"), taken));
            CobolBatch.Result result = CobolBatch.run(picked.stream().filter(p -> p.getFileName().toString().startsWith("ohio")).toList());
            assertThat(result.errors()).isZero();
            assertThat(result.cents()).as("the Ohio fix nets to zero on the mainframe").isZero();
            try (Stream<Path> outbox = Files.list(data.resolve("mainframe/outbox"))) {
                assertThat(outbox.filter(p -> p.getFileName().toString().startsWith("ohio"))).isEmpty();
            }

            // asked again: nothing is undone twice; new events of the batch are refused
            HttpResponse<String> again = hub.post("/batches/ohio-fix/rollback", "application/json", "");
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(json(again).path("to_undo").asInt()).isZero();
            HttpResponse<String> late = hub.postEvent(event("ohio-after", "ohio-fix", "OH-after", "25"));
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(json(late).path("details").get(0).path("field").asText()).isEqualTo("batch_id");
            assertThat(hub.get("/events/ohio-after").statusCode()).isEqualTo(404);
            // an id the hub knows is answered with its status, as any repeated POST is
            HttpResponse<String> known = hub.postEvent(event("ohio-7", "ohio-fix", "OH-7", "25"));
            assertThat(known.statusCode()).isEqualTo(200);
            assertThat(json(known).path("status").asText()).isEqualTo("rolled_back");
            assertThat(vendor.calls("reversal")).isEqualTo(EVENTS + 1);
            assertThat(hub.get("/batches/no-such-batch").statusCode()).isEqualTo(404);
            assertThat(hub.post("/batches/no-such-batch/rollback", "application/json", "").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aBatchUndoCutShortByARestartGoesOnAndTheBatchStaysClosed() throws Exception {
        // both REST peers outlive the hub (the simulators stop with it and would refuse the last rollbacks)
        try (FakeRestSystem dashboard = new FakeRestSystem()) {
            cutShortThenResumed(Map.of("hms.adapter.debit-vendor.url", vendor.url(), "hms.adapter.dashboard.url", dashboard.url()), dashboard);
        }
    }

    private void cutShortThenResumed(Map<String, String> peers, FakeRestSystem dashboard) throws Exception {
        try (RunningHub hub = RunningHub.start(data, peers)) {
            // one claimant: its undos run one after the other in its lane, so the stop comes in the middle
            for (int i = 0; i < 20; i++) {
                hub.postEvent(event("wv-" + i, "wv-fix", "WV-1", "3"));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(hub.awaitFinal("wv-" + i).path("status").asText()).isEqualTo("committed");
            }
            vendor.delay(Map.of("reversal", 300L));
            assertThat(hub.post("/batches/wv-fix/rollback", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> vendor.calls("reversal") >= 1);
        }
        vendor.healthy();
        assertThat(vendor.total()).as("the stop came before every undo").isGreaterThan(BigDecimal.ZERO);
        try (RunningHub hub = RunningHub.start(data, peers)) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    "done".equals(json(hub.get("/batches/wv-fix")).path("rollback").path("status").asText()));
            for (int i = 0; i < 20; i++) {
                assertThat(vendor.holds("wv-" + i)).isFalse();
                assertThat(dashboard.holds("wv-" + i)).isFalse();
                assertThat(vendor.commitCalls().get("wv-" + i).get()).isEqualTo(1);
            }
            assertThat(vendor.total()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(dashboard.total()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(hub.postEvent(event("wv-after", "wv-fix", "WV-after", "3")).statusCode()).isEqualTo(409);
        }
    }
}
