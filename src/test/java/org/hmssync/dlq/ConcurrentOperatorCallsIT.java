package org.hmssync.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.hmssync.support.CobolBatch;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A double click on Replay, or several operators at once: whatever mix of undo, replay, retry
 * straggler and roll back the rest reaches one event, at most one attempt runs, and a committed
 * event is never committed again. Counted where it matters: the vendor's commit calls, the
 * ledger's decisions, and the files the mainframe batch (GnuCOBOL) picked up while it happened.
 */
class ConcurrentOperatorCallsIT {

    private static final int CALLERS = 24;

    @TempDir
    Path data;
    FakeRestSystem vendor;
    ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        vendor = new FakeRestSystem();
        pool = Executors.newFixedThreadPool(CALLERS + 1);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        vendor.close();
    }

    @Test
    void twentyFourMixedCallsOnAParkedEventCommitItOnceAndTheBatchTakesOneFile() throws Exception {
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.url()))) {
            hub.put("/sim/dashboard/mode", "down");
            hub.postEvent(event("race-1", "OH", "OH-000001", "25"));
            assertThat(hub.awaitFinal("race-1").path("status").asText()).isEqualTo("rolled_back");
            assertThat(hub.get("/dlq/race-1").statusCode()).isEqualTo(200);
            hub.put("/sim/dashboard/mode", "up");

            Path outbox = data.resolve("mainframe/outbox");
            Path taken = data.resolve("batch");
            List<Path> picked = new CopyOnWriteArrayList<>();
            AtomicBoolean polling = new AtomicBoolean(true);
            Future<?> batch = pool.submit(() -> {
                while (polling.get()) {
                    picked.addAll(CobolBatch.pickUp(outbox, taken));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));   // the batch's polling interval
                }
                picked.addAll(CobolBatch.pickUp(outbox, taken));
                return null;
            });

            List<String> paths = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                paths.add(switch (i % 6) {
                    case 0, 1, 2 -> "/dlq/race-1/replay";
                    case 3 -> "/events/race-1/rollback";
                    case 4 -> "/dlq/race-1/retry-straggler";
                    default -> "/dlq/race-1/roll-back-rest";
                });
            }
            List<Integer> codes = hub.postAllAtOnce(pool, paths);

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    RunningHub.FINAL.contains(json(hub.get("/events/race-1")).path("status").asText())
                            && json(hub.get("/dlq")).isEmpty());
            polling.set(false);
            batch.get(10, TimeUnit.SECONDS);

            List<Integer> replays = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                if (paths.get(i).endsWith("/replay")) {
                    replays.add(codes.get(i));
                }
            }
            assertThat(replays).as("replays").containsOnlyOnce(202).containsOnly(202, 409);
            assertThat(codes).as("every answer").containsOnly(202, 409);
            assertThat(vendor.commitCalls().get("race-1").get()).as("vendor commit calls").isEqualTo(1);

            List<JsonNode> ledger = hub.ledgerOnDisk("race-1");
            assertThat(ledger).filteredOn(l -> l.path("action").asText().equals("replay")).hasSize(1);
            assertThat(ledger).filteredOn(l -> l.path("action").asText().equals("decision") && l.path("result").asText().equals("commit"))
                    .hasSize(1);
            assertThat(ledger).filteredOn(l -> l.path("system").asText().equals("hub") && l.path("action").asText().equals("commit"))
                    .hasSize(1);

            // the batch saw the adjustment at most once, and a reversal only if an undo came after it took the file
            List<Path> adjustments = picked.stream().filter(p -> p.getFileName().toString().equals("race-1.dat")).toList();
            assertThat(adjustments).hasSizeLessThanOrEqualTo(1);
            if (!picked.isEmpty()) {
                CobolBatch.Result result = CobolBatch.run(picked);
                assertThat(result.errors()).isZero();
                long expectedCents = vendor.holds("race-1") ? 2500 : 0;
                assertThat(result.cents()).as("cents the batch applied, against the vendor's state").isEqualTo(expectedCents);
            }
            boolean undone = json(hub.get("/events/race-1")).path("status").asText().equals("rolled_back");
            assertThat(vendor.holds("race-1")).isEqualTo(!undone);
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo(undone ? "0" : "25");
        }
    }

    @Test
    void twentyReplaysOfACommittedEventAreAllRefusedAndNothingIsAppliedAgain() throws Exception {
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.url()))) {
            hub.postEvent(event("race-2", "OH", "OH-000002", "10"));
            assertThat(hub.awaitFinal("race-2").path("status").asText()).isEqualTo("committed");
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                paths.add(i % 2 == 0 ? "/dlq/race-2/replay" : "/dlq/race-2/retry-straggler");
            }
            assertThat(hub.postAllAtOnce(pool, paths)).containsOnly(409);
            assertThat(vendor.commitCalls().get("race-2").get()).isEqualTo(1);
            assertThat(hub.ledgerOnDisk("race-2")).noneMatch(l -> l.path("action").asText().equals("replay"));
            assertThat(Files.exists(data.resolve("mainframe/outbox/race-2.dat"))).isTrue();
            assertThat(json(hub.get("/events/race-2")).path("status").asText()).isEqualTo("committed");
        }
    }
}
