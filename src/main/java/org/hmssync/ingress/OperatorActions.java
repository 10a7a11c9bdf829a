package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.hmssync.runs.OperatorRuns;

/** The operator's calls over HTTP: undo, replay and the DLQ workbench's two actions, answered 202, 404 or 409. */
public final class OperatorActions {

    private final OperatorRuns runs;
    private final HttpAnswers answers;

    public OperatorActions(OperatorRuns runs, HttpAnswers answers) {
        this.runs = runs;
        this.answers = answers;
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
