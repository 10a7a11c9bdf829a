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
            .get("/{id}").id("hms-get-parked").to("direct:hms-get-parked")
            .post("/{id}/replay").id("hms-replay-event").to("direct:hms-replay-event")
            .post("/{id}/retry-straggler").id("hms-retry-straggler").to("direct:hms-retry-straggler")
            .post("/{id}/roll-back-rest").id("hms-roll-back-rest").to("direct:hms-roll-back-rest");

        from("direct:hms-post-event").routeId("hms-post-event-handler")
            .errorHandler(defaultErrorHandler())
            .process(intake::post);
        from("direct:hms-undo-event").routeId("hms-undo-event-handler")
            .process(operator::undo);
        from("direct:hms-replay-event").routeId("hms-replay-event-handler")
            .process(operator::replay);
        from("direct:hms-retry-straggler").routeId("hms-retry-straggler-handler")
            .process(operator::retryStraggler);
        from("direct:hms-roll-back-rest").routeId("hms-roll-back-rest-handler")
            .process(operator::rollBackRest);
        from("direct:hms-get-parked").routeId("hms-get-parked-handler")
            .process(this::getParked);
        from("direct:hms-get-event").routeId("hms-get-event-handler")
            .process(this::getEvent);
        from("direct:hms-get-ledger").routeId("hms-get-ledger-handler")
            .process(this::getLedger);
        from("direct:hms-get-dlq").routeId("hms-get-dlq-handler")
            .process(e -> answers.json(e, 200, dlq.list().stream().map(p -> parkedView(p, false)).toList()));
    }

    /** A parked event as the workbench shows it: now, not as it was parked, and what a person can do. */
    private java.util.Map<String, Object> parkedView(org.hmssync.dlq.ParkedEvent p, boolean whole) {
        var record = ledger.find(p.id());
        String status = record.map(r -> r.status().wire()).orElse(p.status());
        var item = new java.util.LinkedHashMap<String, Object>();
        item.put("id", p.id());
        item.put("reason", p.reason());
        item.put("parked_at", p.parkedAt());
        item.put("status", status);
        item.put("systems", record.<Object>map(r -> r.systemsView()).orElse(p.systems()));
        var actions = new java.util.LinkedHashMap<String, String>();
        if (status.equals("rolled_back")) {
            actions.put("replay", "/dlq/" + p.id() + "/replay");
        } else if (status.equals("needs_attention")) {
            // forward only while nothing was reversed: a reversed system cannot take the same commit again
            boolean reversed = record.map(r -> r.systemsView().values().stream()
                    .anyMatch(v -> "rolled_back".equals(((java.util.Map<?, ?>) v).get("state")))).orElse(true);
            if (!reversed) {
                actions.put("retry_straggler", "/dlq/" + p.id() + "/retry-straggler");
            }
            actions.put("roll_back_rest", "/dlq/" + p.id() + "/roll-back-rest");
        }
        item.put("actions", actions);
        if (whole) {
            item.put("event", p.event());
            item.put("ledger_url", "/ledger?event_id=" + p.id());
        }
        return item;
    }

    private void getParked(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        dlq.find(validId(id)).ifPresentOrElse(
                p -> answers.json(exchange, 200, parkedView(p, true)),
                () -> answers.error(exchange, 404, "no parked event with id '" + Printable.id(id) + "'"));
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
