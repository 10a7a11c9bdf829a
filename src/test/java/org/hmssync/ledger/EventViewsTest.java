package org.hmssync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hmssync.config.HubJson;
import org.hmssync.event.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A final status is shown whole: an event rolled back is shown once its run has parked it, not in between. */
class EventViewsTest {

    final ObjectMapper json = HubJson.mapper();
    final LedgerLines lines = new LedgerLines(Clock.systemUTC());
    final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path dir;
    SyncLedger ledger;
    EventStore events;

    @BeforeEach
    void open() throws IOException {
        ledger = new SyncLedger(dir.resolve("ledger.jsonl"), 64, 100, json);
        events = new EventStore(dir.resolve("events.jsonl"), 64, json);
    }

    @AfterEach
    void close() {
        later.shutdownNow();
        events.close();
        ledger.close();
    }

    @Test
    void aRolledBackEventStillBeingParkedIsShownOnceItIsParked() {
        rolledBack("e-1");
        CompletableFuture<Void> run = new CompletableFuture<>();
        // the run parks the event 300 ms after its final line, then lets go of its claim
        later.schedule(() -> {
            ledger.record(lines.hub("e-1", LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, "dashboard voted no"));
            run.complete(null);
        }, 300, TimeUnit.MILLISECONDS);

        Map<String, Object> view = new EventViews(ledger, events, id -> run).find("e-1").orElseThrow();

        assertThat(view).containsEntry("status", "rolled_back").containsEntry("dead_lettered", true);
        assertThat(run).isDone();
    }

    @Test
    void aCommittedEventWithAnUndoWaitingInItsLaneIsShownAtOnce() {
        ledger.record(lines.hub("e-3", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.record(lines.hub("e-3", LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
        ledger.record(lines.hub("e-3", LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
        long started = System.nanoTime();
        // the undo holds the claim and waits behind the claimant's other events: nothing of it is written yet
        Map<String, Object> view = new EventViews(ledger, events, id -> new CompletableFuture<>()).find("e-3").orElseThrow();
        assertThat(view).containsEntry("status", "committed");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("answered without waiting for the undo").isLessThan(1_000L);
    }

    @Test
    void aParkedEventWithAReplayWaitingIsShownAtOnce() {
        rolledBack("e-4");
        ledger.record(lines.hub("e-4", LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, "dashboard voted no"));
        long started = System.nanoTime();
        Map<String, Object> view = new EventViews(ledger, events, id -> new CompletableFuture<>()).find("e-4").orElseThrow();
        assertThat(view).containsEntry("status", "rolled_back").containsEntry("dead_lettered", true);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("answered without waiting for the replay").isLessThan(1_000L);
    }

    @Test
    void aRunThatNeverEndsDelaysTheViewOnlyBriefly() {
        rolledBack("e-1");
        long started = System.nanoTime();
        Map<String, Object> view = new EventViews(ledger, events, id -> new CompletableFuture<>()).find("e-1").orElseThrow();
        assertThat(view).containsEntry("status", "rolled_back");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1_900L, 10_000L);
    }

    @Test
    void anUnfinishedEventIsShownAtOnceWhateverRuns() {
        ledger.record(lines.hub("e-2", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        Map<String, Object> view = new EventViews(ledger, events, id -> new CompletableFuture<>()).find("e-2").orElseThrow();
        assertThat(view).containsEntry("status", "received");
    }

    private void rolledBack(String id) {
        ledger.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.note(lines.system(id, "dashboard", LedgerLine.PREPARE, LedgerLine.FAILURE, 1, 2L, "HTTP 503"));
        ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "dashboard voted no"));
        ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
    }
}
