package org.hmssync.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.dlq.DeadLetterStore;
import org.hmssync.event.EventReader;
import org.hmssync.ledger.SyncLedger;

/** The HTTP API of contract section 3, on the embedded platform-http server. */
public final class IngressRoutes extends RouteBuilder {

    private final EventIntake intake;
    private final EventViews views;
    private final SyncLedger ledger;
    private final DeadLetterStore dlq;
    private final HttpAnswers answers;
    private final OperatorActions operator;

    public IngressRoutes(EventIntake intake, EventViews views, SyncLedger ledger, DeadLetterStore dlq, HttpAnswers answers,
                         OperatorActions operator) {
        this.operator = operator;
        this.intake = intake;
        this.views = views;
        this.ledger = ledger;
        this.dlq = dlq;
        this.answers = answers;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode("off");

        rest("/events")
            .post().id("hms-post-event").to("direct:hms-post-event")
            .get("/{id}").id("hms-get-event").to("direct:hms-get-event")
            .post("/{id}/rollback").id("hms-undo-event").to("direct:hms-undo-event");
        rest("/ledger")
            .get().id("hms-get-ledger").to("direct:hms-get-ledger");
        rest("/dlq")
            .get().id("hms-get-dlq").to("direct:hms-get-dlq")
            .post("/{id}/replay").id("hms-replay-event").to("direct:hms-replay-event");

        from("direct:hms-post-event").routeId("hms-post-event-handler")
            .errorHandler(defaultErrorHandler())
            .process(intake::post);
        from("direct:hms-undo-event").routeId("hms-undo-event-handler")
            .process(operator::undo);
        from("direct:hms-replay-event").routeId("hms-replay-event-handler")
            .process(operator::replay);
        from("direct:hms-get-event").routeId("hms-get-event-handler")
            .process(this::getEvent);
        from("direct:hms-get-ledger").routeId("hms-get-ledger-handler")
            .process(this::getLedger);
        from("direct:hms-get-dlq").routeId("hms-get-dlq-handler")
            .process(e -> answers.json(e, 200, dlq.list().stream().map(p -> {
                var item = new java.util.LinkedHashMap<String, Object>();
                item.put("id", p.id());
                item.put("reason", p.reason());
                item.put("parked_at", p.parkedAt());
                item.put("status", ledger.find(p.id()).map(r -> r.status().wire()).orElse(p.status()));
                return item;
            }).toList()));
    }

    private void getEvent(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        views.find(validId(id)).ifPresentOrElse(
                view -> answers.json(exchange, 200, view),
                () -> answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'"));
    }

    private void getLedger(Exchange exchange) {
        String id = exchange.getMessage().getHeader("event_id", String.class);
        if (id == null || id.isBlank()) {
            answers.error(exchange, 400, "query parameter event_id is required",
                    java.util.List.of(new org.hmssync.event.Violation("event_id", "is required")));
            return;
        }
        if (ledger.find(validId(id)).isEmpty()) {
            answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'");
            return;
        }
        answers.json(exchange, 200, ledger.linesOf(id));
    }

    /** An id that could never have been accepted is simply unknown; it never reaches a file. */
    private static String validId(String id) {
        return id != null && EventReader.ID.matcher(id).matches() ? id : "";
    }

}
