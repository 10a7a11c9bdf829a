package org.hmssync.coordinator;

import org.hmssync.settings.AdapterSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each kind of run begins. A new event prepares everywhere; the others read where the event
 * stands from the ledger, write the decision that starts them, and begin past the vote.
 */
final class RunStarts {

    private static final Logger LOG = LoggerFactory.getLogger(RunStarts.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final TargetPolicy policy;
    private final Holding holding;

    RunStarts(SyncLedger ledger, LedgerLines lines, TargetPolicy policy, Holding holding) {
        this.ledger = ledger;
        this.lines = lines;
        this.policy = policy;
        this.holding = holding;
    }

    ProtocolRun begin(SyncEvent event, RunKind kind) {
        return switch (kind) {
            case SYNC, RESUME -> new ProtocolRun(new SyncAttempt(event, policy.targetsFor(event)), ProtocolRun.Phase.PREPARE);
            case UNDO -> undo(event);
            case RECOVER -> recovery(event);
            case FORWARD -> retryStraggler(event);
            case BACKWARD -> rollBackTheRest(event);
            case GIVE_UP -> giveUp(event);
        };
    }

    /** A held event waited past the hold's limit: nothing is held anywhere (its rollback was done before it was held); it ends rolled back. */
    private ProtocolRun giveUp(SyncEvent event) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        String reason = "held longer than HMS_HOLD_MAX_S (" + holding.maxMs() / 1000 + " s): " + record.reason();
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, org.hmssync.ledger.FailureReasons.bounded(reason)));
        LOG.warn("event {} gives up waiting: {}", event.id(), reason);
        return ProtocolRun.rollingBack(new SyncAttempt(event, List.of()), ProtocolRun.Outcome.ABORTED);
    }

    /** Undo with the rollback token: an abort decided after the commit, for the systems that hold it. */
    private ProtocolRun undo(SyncEvent event) {
        List<String> committed = ledger.find(event.id()).orElseThrow().committedSystems();
        List<AdapterSettings> targets = policy.adapters().stream().filter(a -> committed.contains(a.name())).toList();
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "undo asked for with the rollback token"));
        LOG.info("event {} undo on {}", event.id(), committed);
        return ProtocolRun.rollingBack(new SyncAttempt(event, targets), ProtocolRun.Outcome.UNDONE);
    }

    /**
     * Finishes what the ledger shows unfinished. A commit decision on disk is driven to the end
     * (systems already committed are not asked again; the others are idempotent by event id). No
     * decision yet (an event queued, held or cut short while preparing): prepared again, as a new try,
     * since nothing was committed anywhere. A rollback under way: finished, on every system that may hold it.
     */
    private ProtocolRun recovery(SyncEvent event) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        SyncAttempt attempt = new SyncAttempt(event, targetsOf(record, event));
        LOG.info("event {} recovering from {} on {}", event.id(), record.status().wire(), attempt.targets());
        switch (record.status()) {
            case COMMITTING -> {
                attempt.resumeCommitting(record.committedSystems());
                return new ProtocolRun(attempt, ProtocolRun.Phase.COMMIT);
            }
            case ROLLING_BACK -> {
                return ProtocolRun.rollingBack(attempt, record.committedOnce() ? ProtocolRun.Outcome.UNDONE : ProtocolRun.Outcome.COMPENSATED);
            }
            default -> {
                // never decided (queued, held, cut short while preparing), so committed nowhere: a new try (every
                // system takes a prepare again by event id; a held one waits again if its system is still down)
                return new ProtocolRun(new SyncAttempt(event, policy.targetsFor(event)), ProtocolRun.Phase.PREPARE);
            }
        }
    }

    /** A person resolves a needs_attention event forward: commit where the commit is missing, leave the rest. */
    private ProtocolRun retryStraggler(SyncEvent event) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        SyncAttempt attempt = new SyncAttempt(event, targetsOf(record, event));
        List<String> missing = attempt.targets().stream().filter(t -> !record.committedSystems().contains(t)).toList();
        attempt.resumeCommitting(record.committedSystems());
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, "operator: retry the straggler " + missing));
        LOG.info("event {} retried forward by an operator on {}", event.id(), missing);
        return new ProtocolRun(attempt, ProtocolRun.Phase.COMMIT);
    }

    /** A person resolves a needs_attention event backward: roll back wherever it may still be held. */
    private ProtocolRun rollBackTheRest(SyncEvent event) {
        EventRecord record = ledger.find(event.id()).orElseThrow();
        SyncAttempt attempt = new SyncAttempt(event, targetsOf(record, event));
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, "operator: roll back the rest"));
        LOG.info("event {} rolled back by an operator on {}", event.id(), attempt.targets());
        return ProtocolRun.rollingBack(attempt, ProtocolRun.Outcome.UNDONE);
    }

    /** The systems that may hold something of the event: those its lines name, and those the policy names now. */
    private List<AdapterSettings> targetsOf(EventRecord record, SyncEvent event) {
        Set<String> names = new HashSet<>(record.systems());
        policy.targetsFor(event).forEach(a -> names.add(a.name()));
        return policy.adapters().stream().filter(a -> names.contains(a.name())).toList();
    }
}
