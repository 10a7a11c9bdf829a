package org.hmssync.ingress;

import org.hmssync.ledger.EventViews;
import org.hmssync.runs.EventSubmission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.event.EventReader;
import org.hmssync.event.InvalidEventException;
import org.hmssync.event.SyncEvent;
import org.hmssync.event.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: validate, answer a known id with its status (it never runs again), else
 * hand the event to the {@link EventSubmission} and answer 202 once it is durable.
 */
public final class EventIntake {

    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);

    private final EventReader reader;
    private final ObjectMapper json;
    private final EventSubmission submission;
    private final EventViews views;
    private final HttpAnswers answers;

    public EventIntake(EventReader reader, ObjectMapper json, EventSubmission submission, EventViews views, HttpAnswers answers) {
        this.reader = reader;
        this.json = json;
        this.submission = submission;
        this.views = views;
        this.answers = answers;
    }

    public void post(Exchange exchange) throws Exception {
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
        var seen = views.find(event.id());
        if (seen.isPresent()) {
            answers.json(exchange, 200, seen.get());
            return;
        }
        try {
            if (!submission.submit(event, json.writeValueAsString(event.json()))) {
                answers.json(exchange, 200, views.known(event.id()));
                return;
            }
        } catch (EventSubmission.Unavailable e) {
            LOG.error("event {} not accepted: {} ({})", event.id(), e.getMessage(), FailureReasons.of(e.getCause()));
            answers.error(exchange, 503, e.getMessage());
            return;
        }
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
