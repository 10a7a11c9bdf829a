package org.hmssync.ingress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.event.EventReader;
import org.hmssync.event.EventStore;
import org.hmssync.event.InvalidEventException;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.event.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one event in: validate, claim the id (a known id is answered, never run again), store
 * the event and its {@code received} line durably, then hand it to the coordinator.
 */
public final class EventIntake {

    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);

    private final EventReader reader;
    private final EventStore events;
    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final ProducerTemplate template;
    private final EventViews views;
    private final HttpAnswers answers;
    private final InFlightEvents inFlight;

    public EventIntake(EventReader reader, EventStore events, SyncLedger ledger, LedgerLines lines,
                       ProducerTemplate template, EventViews views, HttpAnswers answers, InFlightEvents inFlight) {
        this.inFlight = inFlight;
        this.reader = reader;
        this.events = events;
        this.ledger = ledger;
        this.lines = lines;
        this.template = template;
        this.views = views;
        this.answers = answers;
    }

    public void post(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!isJson(contentType)) {
            answers.error(exchange, 415, "Content-Type must be application/json, not '" + contentType + "'",
                    List.of(new Violation("Content-Type", "must be application/json")));
            return;
        }
        SyncEvent event;
        try {
            event = reader.read(exchange.getMessage().getBody(byte[].class));
        } catch (InvalidEventException e) {
            answers.error(exchange, e.status(), e.getMessage(), e.violations());
            return;
        }
        if (!ledger.register(event.id())) {
            answers.json(exchange, 200, views.known(event.id()));
            return;
        }
        try {
            events.save(event);
            ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        } catch (RuntimeException e) {
            ledger.unregister(event.id());
            LOG.error("event {} could not be made durable: {}", event.id(), e.getMessage());
            answers.error(exchange, 503, "the hub could not store the event durably; nothing was accepted, try again");
            return;
        }
        inFlight.tryStart(event.id());
        template.sendBodyAndHeader(CoordinatorRoutes.INBOX, events.text(event.id()).orElseThrow(),
                HmsHeaders.ROLLBACK_TOKEN, event.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("status", "accepted");
        body.put("rollback_token", event.id());
        body.put("status_url", "/events/" + event.id());
        exchange.getMessage().setHeader("Location", "/events/" + event.id());
        answers.json(exchange, 202, body);
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }
}
