package org.hmssync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The status is a fold of the ledger lines and nothing else. */
class EventRecordTest {

    final LedgerLines lines = new LedgerLines(Clock.systemUTC());

    @Test
    void aFailedCommitCompensatesAndAFailedRollbackNeedsAttention() {
        EventRecord r = new EventRecord("e");
        r.apply(lines.hub("e", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        assertThat(r.status()).isEqualTo(EventStatus.RECEIVED);
        r.apply(lines.system("e", "a", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 3L, null));
        assertThat(r.status()).isEqualTo(EventStatus.PREPARING);
        r.apply(lines.hub("e", LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
        assertThat(r.status()).isEqualTo(EventStatus.COMMITTING);
        r.apply(lines.system("e", "a", LedgerLine.COMMIT, LedgerLine.FAILURE, 3, 3L, "HTTP 500"));
        r.apply(lines.hub("e", LedgerLine.COMMIT, LedgerLine.FAILURE, "a commit failed"));
        assertThat(r.status()).isEqualTo(EventStatus.ROLLING_BACK);
        r.apply(lines.system("e", "a", LedgerLine.ROLLBACK, LedgerLine.FAILURE, 3, 3L, "HTTP 503"));
        r.apply(lines.hub("e", LedgerLine.ROLLBACK, LedgerLine.FAILURE, "stuck"));
        assertThat(r.status()).isEqualTo(EventStatus.NEEDS_ATTENTION);
        assertThat(r.systemsView()).containsKey("a");
        assertThat(((java.util.Map<?, ?>) r.systemsView().get("a")).get("state")).isEqualTo("rollback_failed");
    }

    @Test
    void anAbortAfterTheCommitIsAnUndoAndAnAbortBeforeItIsNot() {
        EventRecord undone = new EventRecord("u");
        undone.apply(lines.hub("u", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        undone.apply(lines.hub("u", LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
        undone.apply(lines.hub("u", LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
        assertThat(undone.undone()).isFalse();
        undone.apply(lines.hub("u", LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "undo asked for with the rollback token"));
        undone.apply(lines.hub("u", LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
        assertThat(undone.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(undone.undone()).isTrue();
        assertThat(undone.view("t")).containsEntry("undone", true).containsEntry("status", "rolled_back").containsEntry("decision", "abort");

        EventRecord failed = new EventRecord("f");
        failed.apply(lines.hub("f", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        failed.apply(lines.hub("f", LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "a voted no"));
        failed.apply(lines.hub("f", LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
        assertThat(failed.view("t")).containsEntry("undone", false).containsEntry("status", "rolled_back");

        undone.apply(lines.hub("u", LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
        assertThat(undone.undone()).as("a new attempt").isFalse();
    }

    @Test
    void aReplayStartsANewAttemptWithCleanSystems() {
        EventRecord r = new EventRecord("e");
        r.apply(lines.hub("e", LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        r.apply(lines.system("e", "a", LedgerLine.PREPARE, LedgerLine.FAILURE, 1, 3L, "HTTP 503"));
        r.apply(lines.hub("e", LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "a voted no"));
        r.apply(lines.hub("e", LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
        r.apply(lines.hub("e", LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, "a voted no"));
        assertThat(r.view("t")).containsEntry("dead_lettered", true);
        r.apply(lines.hub("e", LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
        assertThat(r.status()).isEqualTo(EventStatus.RECEIVED);
        assertThat(r.view("t")).containsEntry("dead_lettered", false);
        assertThat(r.attempt()).isEqualTo(2);
        assertThat(r.systemsView()).isEmpty();
    }
}
