package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.event.EventReader;
import org.hmssync.runs.BatchUndos;

/** The batch API (contract section 3): a batch's progress, and its one rollback token. */
public final class BatchRoutes extends RouteBuilder {

    private final BatchUndos batches;
    private final HttpAnswers answers;
    private final AccessGuard guard;

    public BatchRoutes(BatchUndos batches, HttpAnswers answers, AccessGuard guard) {
        this.batches = batches;
        this.answers = answers;
        this.guard = guard;
    }

    @Override
    public void configure() {
        rest("/batches")
            .get().id("hms-list-batches").to("direct:hms-list-batches")
            .get("/{batch_id}").id("hms-get-batch").to("direct:hms-get-batch")
            .post("/{batch_id}/rollback").id("hms-undo-batch").to("direct:hms-undo-batch");

        handler("hms-list-batches", e -> answers.json(e, 200, batches.list()));
        handler("hms-get-batch", e -> {
            String batch = batchId(e);
            batches.view(batch).ifPresentOrElse(view -> answers.json(e, 200, view),
                    () -> answers.error(e, 404, "no batch with id '" + Printable.id(batch) + "'"));
        });
        handler("hms-undo-batch", e -> {
            if (guard.operator(e)) {
                undo(e);
            }
        });
    }

    private void undo(Exchange exchange) {
        String batch = batchId(exchange);
        batches.request(batch).ifPresentOrElse(requested -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("batch_id", requested.batchId());
            body.put("to_undo", requested.toUndo());
            body.put("status_url", "/batches/" + requested.batchId());
            answers.json(exchange, 202, body);
        }, () -> answers.error(exchange, 404, "no batch with id '" + Printable.id(batch) + "'"));
    }

    private void handler(String name, Processor processor) {
        from("direct:" + name).routeId(name + "-handler").routeConfigurationId(IngressRoutes.ERRORS).process(processor);
    }

    /** An id that could never have been accepted is simply unknown; it never reaches a file name. */
    private static String batchId(Exchange exchange) {
        String batch = exchange.getMessage().getHeader("batch_id", String.class);
        return batch != null && EventReader.ID.matcher(batch).matches() ? batch : "";
    }
}
