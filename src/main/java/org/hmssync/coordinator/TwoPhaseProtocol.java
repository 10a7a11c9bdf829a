package org.hmssync.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The two-phase protocol for one event: prepare under a deadline, count the votes, write the
 * decision, then commit everywhere or roll back wherever something may be held, and write the final
 * status. Each hub line is on disk before the step that depends on it (the decision before any
 * commit or rollback). A plain loop over the run's phase, not a Camel choice per step: the event's
 * whole run is one hop of the coordinator's route.
 */
public final class TwoPhaseProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(TwoPhaseProtocol.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final ObjectMapper json;
    private final RunStarts starts;
    private final FanOut fanOut;
    private final long prepareDeadlineMs;
    private final Holding holding;

    public TwoPhaseProtocol(SyncLedger ledger, LedgerLines lines, TargetPolicy policy, ObjectMapper json, FanOut fanOut,
                            long prepareDeadlineMs, Holding holding) {
        this.ledger = ledger;
        this.lines = lines;
        this.json = json;
        this.starts = new RunStarts(ledger, lines, policy, holding);
        this.fanOut = fanOut;
        this.prepareDeadlineMs = prepareDeadlineMs;
        this.holding = holding;
    }

    /** The coordinator route's step: the body is the event (or its stored text), the headers say which run. */
    public void run(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        SyncEvent event = body instanceof SyncEvent given ? given
                : SyncEvent.of((ObjectNode) json.readTree(exchange.getMessage().getMandatoryBody(String.class)));
        RunKind kind = exchange.getMessage().getHeader(HmsHeaders.RUN, RunKind.class);
        MDC.put("event_id", event.id());
        try {
            ProtocolRun run = run(event, kind);
            if (run.outcome() == ProtocolRun.Outcome.HELD) {
                exchange.setProperty(HmsHeaders.WAITS_FOR, run.waitFor());
            }
        } finally {
            MDC.remove("event_id");
        }
    }

    ProtocolRun run(SyncEvent event, RunKind kind) {
        ProtocolRun run = starts.begin(event, kind);
        List<String> open = run.phase() == ProtocolRun.Phase.PREPARE ? holding.open(run.attempt().targets()) : List.of();
        if (!open.isEmpty()) {
            String reason = "waiting for " + String.join(", ", open) + ": circuit open";
            ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_HOLD, reason));
            LOG.info("event {} held: {}", event.id(), reason);
            run.hold(open);
        }
        while (run.phase() != ProtocolRun.Phase.DONE) {
            switch (run.phase()) {
                case PREPARE -> prepare(run);
                case DECIDE -> decide(run);
                case COMMIT -> commit(run);
                case ROLLBACK -> rollBack(run);
                default -> throw new IllegalStateException("no step for " + run.phase());
            }
        }
        run.attempt().markFinished();
        return run;
    }

    private void prepare(ProtocolRun run) {
        fanOut.run(recipients("prepare", run.attempt().targets(), ""), run.attempt(), prepareDeadlineMs);
        run.moveTo(ProtocolRun.Phase.DECIDE);
    }

    /** Closes the vote. Silence counts as no; the decision line is on disk before anything else. */
    private void decide(ProtocolRun run) {
        SyncAttempt attempt = run.attempt();
        String id = attempt.event().id();
        if (attempt.targets().isEmpty()) {
            String reason = "no adapter's policy takes this event: nothing to apply";
            ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_SKIP, reason));
            LOG.info("event {} skipped: {}", id, reason);
            run.skip();
            return;
        }
        for (String silent : attempt.close()) {
            Vote timeout = attempt.votes().get(silent);
            ledger.note(lines.system(id, silent, LedgerLine.PREPARE, LedgerLine.FAILURE, 1, timeout.latencyMs(), timeout.error()));
        }
        if (attempt.unanimousYes()) {
            ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
            LOG.debug("event {} decision commit", id);
            run.moveTo(ProtocolRun.Phase.COMMIT);
            return;
        }
        String reason = FailureReasons.bounded(attempt.votes().entrySet().stream().filter(v -> !v.getValue().yes())
                .map(v -> v.getKey() + " voted no at prepare: " + v.getValue().error())
                .collect(Collectors.joining("; ")));
        ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, reason));
        LOG.info("event {} decision abort: {}", id, reason);
        if (holding.enabled() && attempt.onlyUnavailable()) {
            // no system refused: those that could not answer are waited for, once the rest is rolled back
            run.rollBackThenHold(attempt.votes().entrySet().stream().filter(v -> !v.getValue().yes()).map(Map.Entry::getKey).sorted().toList());
        } else {
            run.rollBack(ProtocolRun.Outcome.ABORTED);
        }
    }

    private void commit(ProtocolRun run) {
        SyncAttempt attempt = run.attempt();
        Map<String, Boolean> done = attempt.commits();
        fanOut.run(recipients("commit", attempt.targets().stream().filter(t -> !done.containsKey(t)).toList(), ""), attempt, 0);
        String id = attempt.event().id();
        List<String> failed = attempt.targets().stream().filter(t -> !Boolean.TRUE.equals(attempt.commits().get(t))).toList();
        if (failed.isEmpty()) {
            ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
            LOG.info("event {} committed on {}", id, attempt.targets());
            run.moveTo(ProtocolRun.Phase.DONE);
            return;
        }
        if (holding.enabled() && attempt.commitFailuresUnavailable(failed)) {
            if (waitToCommitAgain(run, failed)) {
                attempt.retryCommits(failed);
                return;   // commit again where it failed
            }
            if (holding.stopping()) {
                LOG.info("event {} left committing for the recovery at the next start: the hub is stopping", id);
                run.moveTo(ProtocolRun.Phase.DONE);
                return;
            }
        }
        String reason = FailureReasons.bounded(failed.stream()
                .map(t -> t + " commit failed: " + attempt.error(t)).collect(Collectors.joining("; ")) + "; compensating everywhere");
        ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.FAILURE, reason));
        LOG.warn("event {} {}", id, reason);
        run.rollBack(ProtocolRun.Outcome.COMPENSATED);
    }

    /** A commit a system could not take is tried again once the system is worth a call, within the hold's limit. */
    private boolean waitToCommitAgain(ProtocolRun run, List<String> failed) {
        long leftMs = holding.maxMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.attempt().startedAtNanos());
        if (leftMs <= 0) {
            return false;
        }
        LOG.info("event {}: commit on {} waits for {} to answer again (up to {} s more)", run.attempt().event().id(), failed, failed,
                leftMs / 1000);
        return holding.awaitForCommit(failed, run.nextCommitWait(), leftMs);
    }

    /**
     * After an abort: those that said yes or never answered. After a failed commit or an undo:
     * everyone (each rollback first waits, bounded, for a straggler's late prepare).
     */
    private void rollBack(ProtocolRun run) {
        SyncAttempt attempt = run.attempt();
        Map<String, Vote> votes = attempt.votes();
        List<String> systems = run.outcome() == ProtocolRun.Outcome.ABORTED
                ? attempt.targets().stream().filter(t -> votes.get(t).mayHoldPrepare()).toList()
                : attempt.targets();
        fanOut.run(recipients("rollback", systems, "-checked"), attempt, 0);
        String id = attempt.event().id();
        List<String> stuck = attempt.rollbacks().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
        if (stuck.isEmpty() && run.holdsAfterRollback()) {
            String reason = FailureReasons.bounded("waiting for " + run.waitFor().stream()
                    .map(s -> s + " (" + votes.get(s).error() + ")").collect(Collectors.joining(", ")) + "; rolled back everywhere meanwhile");
            ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_HOLD, reason));
            LOG.info("event {} held: {}", id, reason);
            run.hold(run.waitFor());
            return;
        } else if (stuck.isEmpty()) {
            ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
            LOG.info("event {} rolled back everywhere", id);
        } else {
            String states = ledger.find(id).map(EventRecord::systemStates).orElse(Map.of()).entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            String reason = FailureReasons.bounded("rollback failed on " + stuck.stream()
                    .map(s -> s + " (" + attempt.error(s) + ")").collect(Collectors.joining(", ")) + "; now: " + states);
            ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.FAILURE, reason));
            LOG.error("event {} needs attention: {}", id, reason);
        }
        run.moveTo(ProtocolRun.Phase.DONE);
    }

    private static List<String> recipients(String phase, List<String> systems, String suffix) {
        return systems.stream().map(s -> "direct:hms-" + phase + "-" + s + suffix).toList();
    }
}
