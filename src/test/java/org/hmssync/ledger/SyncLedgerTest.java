package org.hmssync.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.hmssync.config.HubJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger keeps two finished events folded in memory here, so most of these events are folded
 * again from the real file on disk: what a long-running hub does with its older history.
 */
class SyncLedgerTest {

    static final int CACHED = 2;

    final ObjectMapper json = HubJson.mapper();
    final LedgerLines lines = new LedgerLines(Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void anEventDroppedFromMemoryIsFoldedAgainFromTheFile() throws IOException {
        try (SyncLedger ledger = open()) {
            for (int i = 1; i <= 6; i++) {
                commit(ledger, "e-" + i, "amount " + i + " — ünïcode in an error keeps byte offsets honest");
            }
            ledger.record(lines.hub("open-1", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));

            assertThat(ledger.find("e-1")).get().extracting(EventRecord::status).isEqualTo(EventStatus.COMMITTED);
            assertThat(ledger.find("e-1").orElseThrow().committedSystems()).containsExactly("vendor");
            assertThat(ledger.linesOf("e-3")).extracting(LedgerLine::action)
                    .containsExactly("received", "prepare", "decision", "commit", "commit");
            assertThat(ledger.linesOf("e-3").get(4).error()).isEqualTo("amount 3 — ünïcode in an error keeps byte offsets honest");
            assertThat(ledger.find("never")).isEmpty();
            assertThat(ledger.linesOf("never")).isEmpty();
        }
    }

    @Test
    void unfinishedEventsStayKnownHoweverManyFinishAfterThem() throws IOException {
        try (SyncLedger ledger = open()) {
            ledger.record(lines.hub("open-1", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
            for (int i = 1; i <= 5; i++) {
                commit(ledger, "e-" + i, null);
            }
            assertThat(ledger.unfinished()).extracting(EventRecord::id).containsExactly("open-1");

            // a replay of a long-finished event makes it unfinished again
            ledger.record(lines.hub("e-1", LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
            assertThat(ledger.unfinished()).extracting(EventRecord::id).containsExactlyInAnyOrder("open-1", "e-1");
            assertThat(ledger.find("e-1").orElseThrow().status()).isEqualTo(EventStatus.RECEIVED);
            assertThat(ledger.find("e-1").orElseThrow().attempt()).isEqualTo(2);
        }
    }

    @Test
    void recentlyChangedListsTheLastWrittenFirst() throws IOException {
        try (SyncLedger ledger = open()) {
            for (int i = 1; i <= 5; i++) {
                commit(ledger, "e-" + i, null);
            }
            ledger.record(lines.hub("e-2", LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, "parked"));
            assertThat(ledger.recentlyChanged(3)).extracting(EventRecord::id).containsExactly("e-2", "e-5", "e-4");
            assertThat(ledger.find("e-2").orElseThrow().view("t")).containsEntry("dead_lettered", true);
        }
    }

    @Test
    void aRestartRebuildsStatusesAndIdsFromTheFileAloneTornTailIncluded() throws IOException {
        try (SyncLedger ledger = open()) {
            commit(ledger, "e-1", null);
            commit(ledger, "e-2", null);
            ledger.record(lines.hub("open-1", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
            commit(ledger, "e-3", null);
        }
        Files.writeString(dir.resolve("ledger.jsonl"), "{\"time\":\"2026-11-27T0", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (SyncLedger ledger = open()) {
            assertThat(ledger.unfinished()).extracting(EventRecord::id).containsExactly("open-1");
            assertThat(ledger.find("e-1").orElseThrow().status()).isEqualTo(EventStatus.COMMITTED);
            assertThat(ledger.register("e-2", "event:e-2")).as("a known id is not new").isFalse();
            assertThat(ledger.register("e-9", "event:e-9")).isTrue();
            assertThat(ledger.register("e-9", "event:e-9")).as("claimed once").isFalse();

            // lines written after the sealed torn tail are found where they are
            commit(ledger, "e-9", "after the torn line");
            assertThat(ledger.linesOf("e-9")).hasSize(5);
            assertThat(ledger.linesOf("e-9").get(4).error()).isEqualTo("after the torn line");
            assertThat(ledger.find("e-9").orElseThrow().status()).isEqualTo(EventStatus.COMMITTED);
        }
        try (SyncLedger ledger = open()) {
            assertThat(ledger.linesOf("e-9")).hasSize(5);
            assertThat(ledger.find("e-3").orElseThrow().status()).isEqualTo(EventStatus.COMMITTED);
        }
        // the chain runs across the torn line: the line after it links to the last whole one
        ChainCheck check = new ChainCheck().read(dir.resolve("ledger.jsonl"));
        assertThat(check.firstBreak()).isEmpty();
        assertThat(check.torn()).containsExactly(17L);
        assertThat(check.head().seq()).isEqualTo(21);
    }

    @Test
    void aLedgerWithoutAChainOrWithABrokenOneIsRefusedAndABrokenOneAcceptedOnlyWhenSaid() throws IOException {
        Path file = dir.resolve("ledger.jsonl");
        try (SyncLedger ledger = open()) {
            commit(ledger, "e-1", null);
            commit(ledger, "e-2", null);
            assertThat(ledger.head().seq()).isEqualTo(10);
        }
        java.util.List<String> chained = Files.readAllLines(file);
        java.util.List<String> edited = new java.util.ArrayList<>(chained);
        edited.set(6, edited.get(6).replace("\"success\"", "\"failure\""));
        Files.write(file, edited);

        assertThatThrownBy(this::open).isInstanceOf(UntrustedLedgerException.class)
                .hasMessageContaining("does not verify at line 7 (seq 7): its hash does not match").hasMessageContaining("--accept-broken-ledger");
        try (SyncLedger ledger = new SyncLedger(file, 64, CACHED, json, new ChainSettings(true, null))) {
            assertThat(ledger.head().seq()).isEqualTo(10);
            commit(ledger, "e-3", null);
            assertThat(ledger.head().seq()).as("linked on to the last line as it stands").isEqualTo(15);
        }
        ChainCheck after = new ChainCheck().read(file);
        assertThat(after.firstBreak().orElseThrow().line()).as("the break stays where it was").isEqualTo(7);

        Files.write(file, chained.stream().map(l -> LedgerChain.Link.of(l).unhashed().replaceAll(",\"seq\":[0-9]+}$", "}")).toList());
        assertThatThrownBy(() -> new SyncLedger(file, 64, CACHED, json, new ChainSettings(true, null)))
                .isInstanceOf(UntrustedLedgerException.class).hasMessageContaining("has no hash chain").hasMessageContaining("migrate-ledger");
    }

    @Test
    void aCheckpointLinksIntoTheChainAndIsNoEvent() throws IOException {
        try (SyncLedger ledger = open()) {
            commit(ledger, "e-1", null);
            ledger.record(lines.checkpoint());
            commit(ledger, "e-2", null);
            assertThat(ledger.find(LedgerLine.CHECKPOINT_ID)).isEmpty();
            assertThat(ledger.recentlyChanged(10)).extracting(EventRecord::id).containsExactly("e-2", "e-1");
            assertThat(ledger.counts().total()).isEqualTo(2);
        }
        try (SyncLedger ledger = open()) {
            assertThat(ledger.find(LedgerLine.CHECKPOINT_ID)).isEmpty();
            assertThat(ledger.counts().total()).isEqualTo(2);
            assertThat(ledger.head().seq()).isEqualTo(11);
        }
        ChainCheck check = new ChainCheck().read(dir.resolve("ledger.jsonl"));
        assertThat(check.firstBreak()).isEmpty();
        assertThat(check.checkpoints()).isEqualTo(1);
        LedgerLine checkpoint = json.readValue(Files.readAllLines(dir.resolve("ledger.jsonl")).get(5), LedgerLine.class);
        assertThat(checkpoint.head().seq()).isEqualTo(5);
        assertThat(checkpoint.signature()).as("no key: unsigned").isNull();
    }

    @Test
    void theCountByStatusFollowsEveryEventAcrossEvictionsUndosReplaysAndARestart() throws IOException {
        try (SyncLedger ledger = open()) {
            for (int i = 1; i <= 5; i++) {
                commit(ledger, "e-" + i, null);
            }
            ledger.record(lines.hub("open-1", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
            assertThat(counts(ledger)).containsEntry(EventStatus.COMMITTED, 5L).containsEntry(EventStatus.RECEIVED, 1L);

            // e-1 and e-2 are no longer folded in memory (two are cached): their next lines move them all the same
            undo(ledger, "e-1");
            ledger.record(lines.hub("e-2", LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
            ledger.record(lines.hub("open-1", LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "dashboard voted no"));
            ledger.record(lines.hub("open-1", LedgerLine.ROLLBACK, LedgerLine.FAILURE, "reversal refused"));

            StatusCounts now = ledger.counts();
            assertThat(now.byStatus()).containsEntry(EventStatus.COMMITTED, 3L).containsEntry(EventStatus.ROLLED_BACK, 1L)
                    .containsEntry(EventStatus.RECEIVED, 1L).containsEntry(EventStatus.NEEDS_ATTENTION, 1L)
                    .containsEntry(EventStatus.PREPARING, 0L);
            assertThat(now.undone()).isEqualTo(1);
            assertThat(now.total()).isEqualTo(6);

            // an operator rolls the rest back: needs_attention becomes a rolled_back that was no undo
            ledger.record(lines.hub("open-1", LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "operator: roll back the rest"));
            ledger.record(lines.hub("open-1", LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
            assertThat(counts(ledger)).containsEntry(EventStatus.NEEDS_ATTENTION, 0L).containsEntry(EventStatus.ROLLED_BACK, 2L);
            assertThat(ledger.counts().undone()).isEqualTo(1);
        }
        try (SyncLedger ledger = open()) {
            StatusCounts afterRestart = ledger.counts();
            assertThat(afterRestart.byStatus()).containsEntry(EventStatus.COMMITTED, 3L).containsEntry(EventStatus.ROLLED_BACK, 2L)
                    .containsEntry(EventStatus.RECEIVED, 1L).containsEntry(EventStatus.NEEDS_ATTENTION, 0L);
            assertThat(afterRestart.undone()).isEqualTo(1);
            assertThat(ledger.find("e-1").orElseThrow().undone()).isTrue();
            assertThat(ledger.find("open-1").orElseThrow().undone()).isFalse();
        }
    }

    private static java.util.Map<EventStatus, Long> counts(SyncLedger ledger) {
        return ledger.counts().byStatus();
    }

    private void undo(SyncLedger ledger, String id) {
        ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "undo asked for with the rollback token"));
        ledger.note(lines.system(id, "vendor", LedgerLine.ROLLBACK, LedgerLine.SUCCESS, 1, 2L, null));
        ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
    }

    private SyncLedger open() throws IOException {
        return new SyncLedger(dir.resolve("ledger.jsonl"), 64, CACHED, json);
    }

    private void commit(SyncLedger ledger, String id, String note) {
        ledger.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.note(lines.system(id, "vendor", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 2L, null));
        ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
        ledger.note(lines.system(id, "vendor", LedgerLine.COMMIT, LedgerLine.SUCCESS, 1, 2L, null));
        ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, note));
    }
}
