package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.dlq.DeadLetterStore;
import org.hmssync.event.EventReader;
import org.hmssync.event.EventStore;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.EventStatus;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;

/** What an operator asks of one event: undo it with its rollback token, or replay it from the DLQ. */
public final class OperatorActions {

    /** How long an action waits for the same id's run to finish before answering 409. */
    private static final long WAIT_FOR_RUN_MS = 5_000;

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final EventStore events;
    private final DeadLetterStore dlq;
    private final InFlightEvents inFlight;
    private final ProducerTemplate template;
    private final HttpAnswers answers;

    public OperatorActions(SyncLedger ledger, LedgerLines lines, EventStore events, DeadLetterStore dlq,
                           InFlightEvents inFlight, ProducerTemplate template, HttpAnswers answers) {
        this.ledger = ledger;
        this.lines = lines;
        this.events = events;
        this.dlq = dlq;
        this.inFlight = inFlight;
        this.template = template;
        this.answers = answers;
    }

    /** {@code POST /events/{id}/rollback}. */
    public void undo(Exchange exchange) {
        start(exchange, false, EventStatus.COMMITTED, "only a committed event can be undone", HmsHeaders.RUN_UNDO, "rolling_back");
    }

    /** {@code POST /dlq/{id}/replay}: a new attempt with the same id, whatever state it was parked in. */
    public void replay(Exchange exchange) {
        start(exchange, true, null, null, HmsHeaders.RUN_SYNC, "received");
    }

    /** {@code POST /dlq/{id}/retry-straggler}: commit where a needs_attention event is missing. */
    public void retryStraggler(Exchange exchange) {
        start(exchange, true, EventStatus.NEEDS_ATTENTION, NEEDS_ATTENTION_ONLY, HmsHeaders.RUN_FORWARD, "committing");
    }

    /** {@code POST /dlq/{id}/roll-back-rest}: roll back wherever a needs_attention event is still held. */
    public void rollBackRest(Exchange exchange) {
        start(exchange, true, EventStatus.NEEDS_ATTENTION, NEEDS_ATTENTION_ONLY, HmsHeaders.RUN_BACKWARD, "rolling_back");
    }

    private static final String NEEDS_ATTENTION_ONLY = "these actions are for needs_attention events (a rolled_back one is replayed)";

    /**
     * The one way an operator starts a run: the id must be known, win the in-flight guard, and
     * only then (as the ledger and the DLQ have it after any run we waited for) be parked, for the
     * DLQ actions, and in the status the action is for; then the run is queued. Checking before the
     * wait let five replays of one parked event each run it again once the first had committed.
     */
    private void start(Exchange exchange, boolean parkedOnly, EventStatus required, String requiredWhy, String run, String answer) {
        String id = exchange.getMessage().getHeader("id", String.class);
        EventRecord record = known(id);
        if (record == null) {
            answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'");
            return;
        }
        String refusal = refusal(record, parkedOnly, required, requiredWhy);
        if (refusal != null) {
            answers.error(exchange, 409, refusal);
            return;
        }
        if (!inFlight.tryStart(id, WAIT_FOR_RUN_MS)) {
            answers.error(exchange, 409, "event " + id + " is being processed (" + record.status().wire() + "); try again when it is final");
            return;
        }
        refusal = refusal(known(id), parkedOnly, required, requiredWhy);
        if (refusal != null) {
            inFlight.finish(id);
            answers.error(exchange, 409, refusal);
            return;
        }
        try {
            if (HmsHeaders.RUN_SYNC.equals(run)) {
                ledger.record(lines.hub(id, LedgerLine.REPLAY, LedgerLine.SUCCESS, null));
            }
            template.sendBodyAndHeaders(CoordinatorRoutes.INBOX, events.text(id).orElseThrow(),
                    Map.of(HmsHeaders.ROLLBACK_TOKEN, id, HmsHeaders.RUN, run));
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        answers.json(exchange, 202, accepted(id, answer));
    }

    /** Why the action does not apply to the event as it stands now, or null when it does. */
    private String refusal(EventRecord record, boolean parkedOnly, EventStatus required, String requiredWhy) {
        String id = record.id();
        if (parkedOnly && (dlq.find(id).isEmpty() || !record.status().isFinal())) {
            return "event " + id + " is not parked (it is " + record.status().wire() + "); only a parked event is replayed or resolved";
        }
        if (parkedOnly && required == null && !REPLAYABLE.contains(record.status())) {
            return "event " + id + " is " + record.status().wire() + "; only a rolled_back or needs_attention event is replayed";
        }
        if (required != null && record.status() != required) {
            return "event " + id + " is " + record.status().wire() + "; " + requiredWhy;
        }
        return null;
    }

    private static final java.util.Set<EventStatus> REPLAYABLE = java.util.EnumSet.of(EventStatus.ROLLED_BACK, EventStatus.NEEDS_ATTENTION);

    private EventRecord known(String id) {
        return id != null && EventReader.ID.matcher(id).matches() ? ledger.find(id).orElse(null) : null;
    }

    private static Map<String, Object> accepted(String id, String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("status", status);
        body.put("rollback_token", id);
        body.put("status_url", "/events/" + id);
        return body;
    }
}
