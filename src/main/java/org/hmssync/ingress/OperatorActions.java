package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.hmssync.dlq.DeadLetterFilter;
import org.hmssync.dlq.ParkedEvent;
import org.hmssync.dlq.WorkbenchViews;
import org.hmssync.event.Violation;
import org.hmssync.runs.OperatorDoor;
import org.hmssync.runs.OperatorRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's calls over HTTP: undo, replay, the DLQ workbench's two actions (answered 202, 404
 * or 409) and the bulk replay of every parked event a filter matches.
 */
public final class OperatorActions {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActions.class);

    private final OperatorDoor runs;
    private final HttpAnswers answers;
    private final WorkbenchViews workbench;
    private final DlqFilters filters;

    public OperatorActions(OperatorDoor runs, HttpAnswers answers, WorkbenchViews workbench, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.runs = runs;
        this.answers = answers;
        this.workbench = workbench;
        this.filters = new DlqFilters(json, workbench::knowsSystem);
    }

    /**
     * {@code POST /dlq/replay}: replays, one by one through {@link OperatorRuns#replayIfFree}, every
     * parked event the filter matched when the call came, in parking order, and answers
     * {@code 202 {"replaying": n, "matching": m}}: n replays started here, of m entries that matched.
     * An event another call is replaying (its claim held), or that left the DLQ meanwhile, is
     * skipped, not waited for: however many calls ask at once, each event's replay starts once.
     */
    public void replayMatching(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!EventIntake.isJson(contentType)) {
            answers.error(exchange, 415, "Content-Type must be application/json, not '" + Printable.id(contentType) + "'",
                    List.of(new Violation("Content-Type", "must be application/json")));
            return;
        }
        DeadLetterFilter filter;
        try {
            filter = filters.body(exchange.getMessage().getBody(byte[].class));
        } catch (DlqFilters.Invalid e) {
            answers.error(exchange, 400, e.getMessage(), e.violations());
            return;
        }
        List<ParkedEvent> chosen = workbench.matching(filter);
        int started = 0;
        for (ParkedEvent parked : chosen) {
            if (runs.replayIfFree(parked.id(), parked.parkedAt()) instanceof OperatorRuns.Started) {
                started++;
            }
        }
        LOG.info("bulk replay of {}: {} parked events matched, {} replays started", filter, chosen.size(), started);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replaying", started);
        body.put("matching", chosen.size());
        answers.json(exchange, 202, body);
    }

    /** {@code GET /dlq}'s filters, read the same way as the bulk replay's. */
    DlqFilters filters() {
        return filters;
    }

    /** {@code POST /events/{id}/rollback}. */
    public void undo(Exchange exchange) {
        start(exchange, OperatorRuns.Action.UNDO);
    }

    /** {@code POST /dlq/{id}/replay}: a new attempt with the same id, whatever state it was parked in. */
    public void replay(Exchange exchange) {
        start(exchange, OperatorRuns.Action.REPLAY);
    }

    /** {@code POST /dlq/{id}/retry-straggler}: commit where a needs_attention event is missing. */
    public void retryStraggler(Exchange exchange) {
        start(exchange, OperatorRuns.Action.RETRY_STRAGGLER);
    }

    /** {@code POST /dlq/{id}/roll-back-rest}: roll back wherever a needs_attention event is still held. */
    public void rollBackRest(Exchange exchange) {
        start(exchange, OperatorRuns.Action.ROLL_BACK_REST);
    }

    private void start(Exchange exchange, OperatorRuns.Action action) {
        String id = exchange.getMessage().getHeader("id", String.class);
        OperatorRuns.Answer answer = runs.start(id, action);
        if (answer instanceof OperatorRuns.Started started) {
            answers.json(exchange, 202, accepted(started.id(), started.status()));
        } else if (answer instanceof OperatorRuns.Refused refused) {
            answers.error(exchange, 409, refused.why());
        } else {
            answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'");
        }
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
