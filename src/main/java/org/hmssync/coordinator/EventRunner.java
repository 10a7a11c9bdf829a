package org.hmssync.coordinator;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.ingress.EventAcceptance;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one event to a final status, synchronously: a new event is accepted and run; a known one
 * that is final is left alone; one that is unfinished and nobody's is finished (recovery); one that
 * is running elsewhere is waited for. Every run it makes ends with the outcome announced.
 */
public final class EventRunner {

    private static final Logger LOG = LoggerFactory.getLogger(EventRunner.class);
    private static final long WAIT_FOR_RUN_MS = 60_000;

    private final EventAcceptance acceptance;
    private final SyncLedger ledger;
    private final InFlightEvents inFlight;
    private final ProducerTemplate template;
    private final OutcomeAnnouncer outcomes;
    /** Resolved once: normalising the URI on every run costs more than the lookup saves. */
    private final org.apache.camel.Endpoint coordinator;

    public EventRunner(EventAcceptance acceptance, SyncLedger ledger, InFlightEvents inFlight, ProducerTemplate template,
                       OutcomeAnnouncer outcomes) {
        this.acceptance = acceptance;
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.template = template;
        this.outcomes = outcomes;
        this.coordinator = template.getCamelContext().getEndpoint(CoordinatorRoutes.RUN);
    }

    /** For an event already accepted (its received line on disk) whose run this caller owns. */
    public void runAccepted(String id) {
        run(id, HmsHeaders.RUN_SYNC, null);
    }

    /**
     * The id is claimed before the event is accepted, so no moment exists in which it is on disk,
     * unfinished and nobody's: the repair of stuck events would otherwise run it a second time.
     * {@code origin}: handed to the announcer with the outcome ({@link OutcomeAnnouncer#ORIGIN}); may be null.
     */
    public void runToFinal(SyncEvent event, Object origin) {
        String id = event.id();
        if (!inFlight.tryStart(id, WAIT_FOR_RUN_MS)) {
            throw new IllegalStateException("event " + id + " is still being processed after " + WAIT_FOR_RUN_MS + " ms");
        }
        boolean fresh;
        try {
            fresh = acceptance.accept(event);
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        if (fresh) {
            run(id, HmsHeaders.RUN_SYNC, origin);
            return;
        }
        EventRecord record = ledger.find(id).orElseThrow();   // what any run we waited for left
        if (record.status().isFinal()) {
            inFlight.finish(id);
            return;
        }
        LOG.info("event {} seen again while {}: finishing it", id, record.status().wire());
        run(id, HmsHeaders.RUN_RECOVER, origin);
    }

    /** The caller holds the id's in-flight claim; the coordinator's route gives it back at its end. */
    private void run(String id, String kind, Object origin) {
        String text;
        try {
            text = acceptance.text(id);
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        Exchange done = template.send(coordinator, e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeaders(Map.of(HmsHeaders.ROLLBACK_TOKEN, id, HmsHeaders.RUN, kind));
            if (origin != null) {
                e.setProperty(OutcomeAnnouncer.ORIGIN, origin);
            }
        });
        if (done.getException() != null) {
            throw new IllegalStateException("event " + id + " did not reach a final status", done.getException());
        }
        outcomes.announce(done);
    }
}
