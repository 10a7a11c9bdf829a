package org.hmssync.coordinator;

import java.util.List;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How runs other than a new event begin: an undo, a recovery after a restart, and the two workbench
 * actions on a needs_attention event. Each reads where the event stands from the ledger, writes the
 * decision that starts it, and returns the {@link SyncAttempt} the coordinator then drives.
 */
final class RunStarts {

    private static final Logger LOG = LoggerFactory.getLogger(RunStarts.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final TargetPolicy policy;

    RunStarts(SyncLedger ledger, LedgerLines lines, TargetPolicy policy) {
        this.ledger = ledger;
        this.lines = lines;
        this.policy = policy;
    }

    /** Undo with the rollback token: an abort decided after the commit, for the systems that hold it. */
    SyncAttempt undo(SyncEvent event) {
        List<String> committed = ledger.find(event.id()).orElseThrow().committedSystems();
        List<AdapterSettings> targets = policy.adapters().stream().filter(a -> committed.contains(a.name())).toList();
        SyncAttempt attempt = new SyncAttempt(event, targets);
        String reason = "undo asked for with the rollback token";
        attempt.end(SyncAttempt.Outcome.UNDONE, reason);
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, reason));
        LOG.info("event {} undo on {}", event.id(), committed);
        return attempt;
    }

    /**
     * Finishes what the ledger shows unfinished. A commit decision on disk is driven to the end
     * (systems already committed are not asked again; the others are idempotent by event id). No
     * decision yet: presumed abort. A rollback under way: finished, on every system that may hold it.
     */
    SyncAttempt recovery(SyncEvent event) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        SyncAttempt attempt = new SyncAttempt(event, targetsOf(record, event));
        LOG.info("event {} recovering from {} on {}", event.id(), record.status().wire(), attempt.targets());
        switch (record.status()) {
            case COMMITTING -> attempt.resumeCommitting(record.committedSystems());
            case ROLLING_BACK -> attempt.end(record.committedOnce() ? SyncAttempt.Outcome.UNDONE : SyncAttempt.Outcome.COMPENSATED,
                    record.reason() == null ? "rollback finished after a restart" : record.reason());
            default -> {
                String reason = "presumed abort: the hub stopped before deciding";
                attempt.end(SyncAttempt.Outcome.COMPENSATED, reason);
                ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, reason));
            }
        }
        return attempt;
    }

    /**
     * A person resolves a needs_attention event: forward commits where the commit is missing
     * (systems that hold it are left alone); backward rolls back wherever it may still be held.
     */
    SyncAttempt operatorResolution(SyncEvent event, boolean forward) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        SyncAttempt attempt = new SyncAttempt(event, targetsOf(record, event));
        if (forward) {
            List<String> missing = attempt.targets().stream().filter(t -> !record.committedSystems().contains(t)).toList();
            attempt.resumeCommitting(record.committedSystems());
            ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, "operator: retry the straggler " + missing));
        } else {
            String reason = "operator: roll back the rest";
            attempt.end(SyncAttempt.Outcome.UNDONE, reason);
            ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, reason));
        }
        LOG.info("event {} {} by an operator on {}", event.id(), forward ? "retried forward" : "rolled back", attempt.targets());
        return attempt;
    }

    /** The systems that may hold something of the event: those its lines name, and those the policy names now. */
    private List<AdapterSettings> targetsOf(EventRecord record, SyncEvent event) {
        java.util.Set<String> names = new java.util.HashSet<>(record.systems());
        policy.targetsFor(event).forEach(a -> names.add(a.name()));
        return policy.adapters().stream().filter(a -> names.contains(a.name())).toList();
    }
}
