package org.hmssync.ingress;

import org.hmssync.ledger.EventViews;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.dlq.WorkbenchViews;
import org.hmssync.event.EventReader;
import org.hmssync.event.Violation;
import org.hmssync.ledger.EventProofs;
import org.hmssync.ledger.SyncLedger;

/** The HTTP API of contract section 3 (plus the event list and DLQ workbench), on platform-http. */
public final class IngressRoutes extends RouteBuilder {

    private static final int MAX_LIST = SyncLedger.RECENT_KEPT;
    /** The handlers' route configuration: Camel's default error handler (logged, answered 500). */
    public static final String ERRORS = "hms-errors-http";
    /** Digits only, few enough to parse as an int (no sign, no decimals, no exponent). */
    /** On {@code GET /dlq}: how many parked events match the filter in all, whatever the page. */
    public static final String TOTAL_COUNT = "X-Total-Count";
    private static final java.util.regex.Pattern LIMIT = java.util.regex.Pattern.compile("[0-9]{1,9}");

    private final EventIntake intake;
    private final EventViews views;
    private final SyncLedger ledger;
    private final WorkbenchViews workbench;
    private final HttpAnswers answers;
    private final OperatorActions operator;
    private final AccessGuard guard;
    private final HubSummary summary;
    private final EventProofs proofs;

    public IngressRoutes(EventIntake intake, EventViews views, SyncLedger ledger, WorkbenchViews workbench, HttpAnswers answers,
                         OperatorActions operator, AccessGuard guard, HubSummary summary, EventProofs proofs) {
        this.intake = intake;
        this.views = views;
        this.ledger = ledger;
        this.workbench = workbench;
        this.answers = answers;
        this.operator = operator;
        this.guard = guard;
        this.summary = summary;
        this.proofs = proofs;
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode("off");

        rest("/events")
            .post().id("hms-post-event").to("direct:hms-post-event")
            .get().id("hms-list-events").to("direct:hms-list-events")
            .get("/{id}").id("hms-get-event").to("direct:hms-get-event")
            .get("/{id}/proof").id("hms-get-event-proof").to("direct:hms-get-event-proof")
            .post("/{id}/rollback").id("hms-undo-event").to("direct:hms-undo-event");
        rest("/ledger")
            .get().id("hms-get-ledger").to("direct:hms-get-ledger")
            .get("/head").id("hms-get-ledger-head").to("direct:hms-get-ledger-head");
        rest("/summary")
            .get().id("hms-get-summary").to("direct:hms-get-summary");
        rest("/dlq")
            .get().id("hms-get-dlq").to("direct:hms-get-dlq")
            .post("/replay").id("hms-replay-matching").to("direct:hms-replay-matching")
            .get("/{id}").id("hms-get-parked").to("direct:hms-get-parked")
            .post("/{id}/replay").id("hms-replay-event").to("direct:hms-replay-event")
            .post("/{id}/retry-straggler").id("hms-retry-straggler").to("direct:hms-retry-straggler")
            .post("/{id}/roll-back-rest").id("hms-roll-back-rest").to("direct:hms-roll-back-rest");

        handler("hms-post-event", e -> {
            if (guard.ingest(e)) {
                intake.post(e);
            }
        });
        handler("hms-undo-event", operatorOnly(operator::undo));
        handler("hms-replay-event", operatorOnly(operator::replay));
        handler("hms-replay-matching", operatorOnly(operator::replayMatching));
        handler("hms-retry-straggler", operatorOnly(operator::retryStraggler));
        handler("hms-roll-back-rest", operatorOnly(operator::rollBackRest));
        handler("hms-get-event", this::getEvent);
        handler("hms-get-event-proof", this::getProof);
        handler("hms-list-events", this::listEvents);
        handler("hms-get-ledger", this::getLedger);
        // the chain's head on disk, to publish elsewhere: every line up to it is pinned by this hash
        handler("hms-get-ledger-head", e -> answers.json(e, 200, ledger.head()));
        handler("hms-get-dlq", this::getDlq);
        handler("hms-get-summary", e -> answers.json(e, 200, summary.view()));
        handler("hms-get-parked", e -> {
            String id = e.getMessage().getHeader("id", String.class);
            workbench.find(validId(id)).ifPresentOrElse(view -> answers.json(e, 200, view),
                    () -> answers.error(e, 404, "no parked event with id '" + Printable.id(id) + "'"));
        });
    }

    private void handler(String name, Processor processor) {
        from("direct:" + name).routeId(name + "-handler").routeConfigurationId(ERRORS).process(processor);
    }

    private Processor operatorOnly(Processor action) {
        return e -> {
            if (guard.operator(e)) {
                action.process(e);
            }
        };
    }

    private void getEvent(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        views.find(validId(id)).ifPresentOrElse(
                view -> answers.json(exchange, 200, view),
                () -> answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'"));
    }

    /**
     * {@code GET /events/{id}/proof}: the signed proof of how a final event ended, served as signed
     * (the signature covers the exact text). Without a signing key there are none.
     */
    private void getProof(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (!proofs.signing()) {
            answers.error(exchange, 501, "proofs are signed with the key in HMS_SIGNING_KEY_FILE, which is not set");
            return;
        }
        Optional<EventProofs.Proof> proof = proofs.proof(validId(id));
        if (proof.isEmpty()) {
            answers.error(exchange, 404, "no event with id '" + Printable.id(id) + "'");
        } else if (proof.get().text() == null) {
            answers.error(exchange, 409, "event '" + Printable.id(id) + "' is not final yet (status " + proof.get().status().wire()
                    + "): a proof is of how it ended");
        } else {
            answers.json(exchange, 200, new RawValue(proof.get().text()));
        }
    }

    /**
     * {@code GET /events?limit=50}: the most recently changed events, newest first (the console's
     * list). A limit outside 1..{@value #MAX_LIST} is refused, not quietly changed into another.
     */
    private void listEvents(Exchange exchange) {
        String asked = exchange.getMessage().getHeader("limit", "50", String.class);
        if (!LIMIT.matcher(asked).matches() || Integer.parseInt(asked) < 1 || Integer.parseInt(asked) > MAX_LIST) {
            String rule = "must be a whole number from 1 to " + MAX_LIST;
            answers.error(exchange, 400, "limit " + rule + ", not '" + Printable.id(asked) + "'", List.of(new Violation("limit", rule)));
            return;
        }
        answers.json(exchange, 200, ledger.recentlyChanged(Integer.parseInt(asked)).stream().map(views::view).toList());
    }

    /**
     * {@code GET /dlq?batch_id=&system=&reason=&limit=&after=}: the parked events that match, in
     * parking order, after {@code after}, at most {@code limit} (none: all of them, as before the
     * list was paged). {@code X-Total-Count} says how many match in all.
     */
    private void getDlq(Exchange exchange) {
        DlqFilters.Query query;
        try {
            query = operator.filters().query(exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        } catch (DlqFilters.Invalid e) {
            answers.error(exchange, 400, e.getMessage(), e.violations());
            return;
        }
        WorkbenchViews.Page page;
        try {
            page = workbench.list(query.filter(), query.after(), query.limit());
        } catch (java.util.NoSuchElementException e) {
            String problem = "names no parked event (nor one that left the DLQ lately): '" + Printable.id(query.after()) + "'";
            answers.error(exchange, 400, "after " + problem, List.of(new Violation("after", problem)));
            return;
        }
        answers.json(exchange, 200, page.entries());
        exchange.getMessage().setHeader(TOTAL_COUNT, page.matching());
    }

    private void getLedger(Exchange exchange) {
        String id = exchange.getMessage().getHeader("event_id", String.class);
        if (id == null || id.isBlank()) {
            answers.error(exchange, 400, "query parameter event_id is required", List.of(new Violation("event_id", "is required")));
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
