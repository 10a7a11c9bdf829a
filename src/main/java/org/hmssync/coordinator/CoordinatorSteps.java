package org.hmssync.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.hmssync.dlq.DeadLetterStore;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The coordinator's decisions, one method per step of {@link CoordinatorRoutes}. Each hub line is
 * on disk before the step that depends on it runs (the decision before any commit or rollback).
 */
public final class CoordinatorSteps {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorSteps.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final TargetPolicy policy;
    private final ObjectMapper json;
    private final DeadLetterStore dlq;
    private final RunStarts starts;

    public CoordinatorSteps(SyncLedger ledger, LedgerLines lines, TargetPolicy policy, ObjectMapper json, DeadLetterStore dlq) {
        this.dlq = dlq;
        this.starts = new RunStarts(ledger, lines, policy);
        this.ledger = ledger;
        this.lines = lines;
        this.policy = policy;
        this.json = json;
    }

    public void begin(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getMandatoryBody(String.class);
        SyncEvent event = SyncEvent.of((ObjectNode) json.readTree(text));
        MDC.put("event_id", event.id());
        exchange.getMessage().setHeader(HmsHeaders.ROLLBACK_TOKEN, event.id());
        Object run = exchange.getMessage().getHeader(HmsHeaders.RUN);
        if (HmsHeaders.RUN_UNDO.equals(run)) {
            exchange.setProperty(SyncAttempt.PROPERTY, starts.undo(event));
            return;
        }
        if (HmsHeaders.RUN_RECOVER.equals(run)) {
            exchange.setProperty(SyncAttempt.PROPERTY, starts.recovery(event));
            return;
        }
        if (HmsHeaders.RUN_FORWARD.equals(run) || HmsHeaders.RUN_BACKWARD.equals(run)) {
            exchange.setProperty(SyncAttempt.PROPERTY, starts.operatorResolution(event, HmsHeaders.RUN_FORWARD.equals(run)));
            return;
        }
        SyncAttempt attempt = new SyncAttempt(event, policy.targetsFor(event));
        exchange.setProperty(SyncAttempt.PROPERTY, attempt);
        LOG.debug("event {} ({}) goes to {}", event.id(), event.type(), attempt.targets());
    }

    public List<String> prepareRecipients(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        return attempt.outcome() == null && !attempt.isResumed() ? recipients("prepare", attempt.targets()) : List.of();
    }

    /** Closes the vote. Silence counts as no; the decision line is on disk before anything else. */
    public void decide(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        if (attempt.outcome() != null || attempt.isResumed()) {
            return;
        }
        String id = attempt.event().id();
        if (attempt.targets().isEmpty()) {
            String reason = "no adapter's policy takes this event: nothing to apply";
            attempt.end(SyncAttempt.Outcome.SKIPPED, reason);
            ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_SKIP, reason));
            LOG.info("event {} skipped: {}", id, reason);
            return;
        }
        for (String silent : attempt.close()) {
            Vote timeout = attempt.votes().get(silent);
            ledger.note(lines.system(id, silent, LedgerLine.PREPARE, LedgerLine.FAILURE, 1, timeout.latencyMs(), timeout.error()));
        }
        if (attempt.unanimousYes()) {
            ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
            LOG.debug("event {} decision commit", id);
            return;
        }
        String reason = attempt.votes().entrySet().stream().filter(v -> !v.getValue().yes())
                .map(v -> v.getKey() + " voted no at prepare: " + v.getValue().error())
                .collect(Collectors.joining("; "));
        reason = FailureReasons.bounded(reason);
        attempt.end(SyncAttempt.Outcome.ABORTED, reason);
        ledger.record(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_ABORT, reason));
        LOG.info("event {} decision abort: {}", id, reason);
    }

    public List<String> commitRecipients(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        if (attempt.outcome() != null) {
            return List.of();
        }
        Map<String, Boolean> done = attempt.commits();
        return recipients("commit", attempt.targets().stream().filter(t -> !done.containsKey(t)).toList());
    }

    public void afterCommit(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        if (attempt.outcome() != null) {
            return;
        }
        String id = attempt.event().id();
        List<String> failed = attempt.targets().stream().filter(t -> !Boolean.TRUE.equals(attempt.commits().get(t))).toList();
        if (failed.isEmpty()) {
            attempt.end(SyncAttempt.Outcome.COMMITTED, null);
            ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
            LOG.info("event {} committed on {}", id, attempt.targets());
            return;
        }
        String reason = FailureReasons.bounded(failed.stream()
                .map(t -> t + " commit failed: " + attempt.error(t)).collect(Collectors.joining("; "))
                + "; compensating everywhere");
        attempt.end(SyncAttempt.Outcome.COMPENSATED, reason);
        ledger.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.FAILURE, reason));
        LOG.warn("event {} {}", id, reason);
    }

    /** After an abort: those that said yes or never answered. After a failed commit: everyone. */
    public List<String> rollbackRecipients(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        if (attempt.outcome() == SyncAttempt.Outcome.COMPENSATED || attempt.outcome() == SyncAttempt.Outcome.UNDONE) {
            return recipients("rollback", attempt.targets(), "-checked");
        }
        if (attempt.outcome() == SyncAttempt.Outcome.ABORTED) {
            Map<String, Vote> votes = attempt.votes();
            return recipients("rollback", attempt.targets().stream()
                    .filter(t -> votes.get(t).yes() || votes.get(t).error().startsWith("no answer")).toList(), "-checked");
        }
        return List.of();
    }

    public void afterRollback(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        if (attempt.outcome() == SyncAttempt.Outcome.COMMITTED || attempt.outcome() == SyncAttempt.Outcome.SKIPPED) {
            return;
        }
        String id = attempt.event().id();
        List<String> stuck = attempt.rollbacks().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
        if (stuck.isEmpty()) {
            ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.SUCCESS, null));
            LOG.info("event {} rolled back everywhere", id);
            return;
        }
        String states = ledger.find(id).map(r -> r.systemsView().entrySet().stream()
                .map(e -> e.getKey() + " " + ((Map<?, ?>) e.getValue()).get("state")).collect(Collectors.joining(", "))).orElse("");
        String reason = FailureReasons.bounded("rollback failed on " + stuck.stream()
                .map(s -> s + " (" + attempt.error(s) + ")").collect(Collectors.joining(", ")) + "; now: " + states);
        ledger.record(lines.hub(id, LedgerLine.ROLLBACK, LedgerLine.FAILURE, reason));
        LOG.error("event {} needs attention: {}", id, reason);
        parkReason(exchange, reason);
    }

    /** A run that did not commit ends in the dead-letter channel with its reason. */
    public void finish(Exchange exchange) {
        SyncAttempt attempt = AdapterCalls.attempt(exchange);
        attempt.markFinished();
        MDC.remove("event_id");
        String parkReason = exchange.getProperty(PARK_REASON, String.class);
        boolean failed = attempt.outcome() == SyncAttempt.Outcome.ABORTED || attempt.outcome() == SyncAttempt.Outcome.COMPENSATED;
        if (parkReason != null || failed) {
            throw new EventParkedException(parkReason != null ? parkReason : attempt.reason());
        }
        dlq.release(attempt.event().id());
    }

    private static final String PARK_REASON = "hmsParkReason";

    private static void parkReason(Exchange exchange, String reason) {
        exchange.setProperty(PARK_REASON, reason);
    }

    private static List<String> recipients(String phase, List<String> systems) {
        return recipients(phase, systems, "");
    }

    private static List<String> recipients(String phase, List<String> systems, String suffix) {
        return systems.stream().map(s -> "direct:hms-" + phase + "-" + s + suffix).toList();
    }
}
