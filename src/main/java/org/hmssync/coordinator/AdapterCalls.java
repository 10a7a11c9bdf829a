package org.hmssync.coordinator;

import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.circuits.Unavailability;

/**
 * The steps around one adapter call: hand the adapter a clean message, then write what it
 * answered to the ledger (before the answer counts) and into the {@link SyncAttempt}.
 */
public final class AdapterCalls {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterCalls.class);
    private static final String STARTED = "hmsCallStarted";
    /** Failed attempts so far; a property, because an adapter may strip every header. */
    private static final String FAILED_ATTEMPTS = "hmsFailedAttempts";

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final ProducerTemplate template;
    private final long stragglerWaitMs;

    public AdapterCalls(SyncLedger ledger, LedgerLines lines, ProducerTemplate template, long stragglerWaitMs) {
        this.ledger = ledger;
        this.lines = lines;
        this.template = template;
        this.stragglerWaitMs = stragglerWaitMs;
    }

    /**
     * The adapter sees the event and the rollback token, nothing else. The event is its own copy
     * of the JSON tree, whose numbers are exact decimals (jq would read text into doubles).
     */
    public void begin(Exchange exchange) {
        SyncAttempt attempt = attempt(exchange);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(HmsHeaders.ROLLBACK_TOKEN, attempt.event().id());
        exchange.getMessage().setBody(attempt.event().json().deepCopy());
        exchange.setProperty(FAILED_ATTEMPTS, 0);
        restartClock(exchange);
    }

    public void restartClock(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    public void prepared(String system, Exchange exchange) {
        vote(system, exchange, true, null);
    }

    public void refused(String system, Exchange exchange) {
        Throwable failure = failure(exchange);
        vote(system, exchange, false, reason(system, failure), Unavailability.isUnavailable(failure));
    }

    /** An open circuit says so: no call was made. */
    static String reason(String system, Throwable failure) {
        return Unavailability.isOpenCircuit(failure) ? "circuit open: " + system + " has been failing, no call made" : FailureReasons.of(failure);
    }

    private void vote(String system, Exchange exchange, boolean yes, String refusal) {
        vote(system, exchange, yes, refusal, false);
    }

    private void vote(String system, Exchange exchange, boolean yes, String refusal, boolean unavailable) {
        SyncAttempt attempt = attempt(exchange);
        String id = attempt.event().id();
        Vote counted = attempt.answer(system, yes, refusal, unavailable);
        String error = counted.error();
        // The decision, recorded after every vote, is what makes the votes durable.
        ledger.note(lines.system(id, system, LedgerLine.PREPARE, yes ? LedgerLine.SUCCESS : LedgerLine.FAILURE, 1, counted.latencyMs(), error));
        if (error != null || LOG.isDebugEnabled()) { // a yes is in the ledger; the log keeps what went wrong
            try (var mdc = MDC.putCloseable("event_id", id)) {
                LOG.atLevel(error == null ? Level.DEBUG : Level.INFO)
                        .log("event {} {} prepare {} in {} ms{}", id, system, yes ? "yes" : "no", counted.latencyMs(), error == null ? "" : " (" + error + ")");
            }
        }
        boolean lateYes = yes && !counted.yes();
        if (lateYes && attempt.isFinished()) {
            LOG.warn("event {}: {} prepared after the event ended; undoing it now", id, system);
            template.send("direct:hms-rollback-" + system, e -> e.setProperty(SyncAttempt.PROPERTY, attempt));
        }
    }

    /** Rollback runs for a system that answered yes or never answered; a late no has nothing to undo. */
    public boolean mustUndo(String system, Exchange exchange) {
        SyncAttempt attempt = attempt(exchange);
        Vote vote = attempt.votes().get(system);
        if (vote == null || vote.yes() || attempt.commits().containsKey(system)) {
            return true;
        }
        Vote late = attempt.awaitLateAnswer(system, stragglerWaitMs);
        return late == null || late.yes();
    }

    public void succeeded(String system, String action, Exchange exchange) {
        SyncAttempt attempt = attempt(exchange);
        int number = redeliveries(exchange) + 1;
        // The event's final status, recorded after every system's result, makes this line durable.
        ledger.note(lines.system(attempt.event().id(), system, action, LedgerLine.SUCCESS, number, elapsedMs(exchange), null));
        if (LOG.isDebugEnabled()) {
            try (var mdc = MDC.putCloseable("event_id", attempt.event().id())) {
                LOG.debug("event {} {} {} success (attempt {})", attempt.event().id(), system, action, number);
            }
        }
        result(attempt, system, action, true, null);
    }

    /** Before each redelivery: the attempt that just failed gets its own ledger line. */
    public void attemptFailed(String system, String action, Exchange exchange) {
        SyncAttempt attempt = attempt(exchange);
        int number = redeliveries(exchange) + 1;
        exchange.setProperty(FAILED_ATTEMPTS, number);
        String error = reason(system, failure(exchange));
        ledger.record(lines.system(attempt.event().id(), system, action, LedgerLine.FAILURE, number, elapsedMs(exchange), error));
        try (var mdc = MDC.putCloseable("event_id", attempt.event().id())) {
            LOG.warn("event {} {} {} attempt {} failed: {}; retrying", attempt.event().id(), system, action, number, error);
        }
        restartClock(exchange);
    }

    /** After the last redelivery failed. */
    public void failed(String system, String action, Exchange exchange) {
        SyncAttempt attempt = attempt(exchange);
        int number = redeliveries(exchange) + 1;
        Throwable failure = failure(exchange);
        String error = reason(system, failure);
        ledger.record(lines.system(attempt.event().id(), system, action, LedgerLine.FAILURE, number, elapsedMs(exchange), error));
        try (var mdc = MDC.putCloseable("event_id", attempt.event().id())) {
            LOG.warn("event {} {} {} failed after {} attempt(s): {}", attempt.event().id(), system, action, number, error);
        }
        result(attempt, system, action, false, error + (number > 1 ? " (after " + number + " attempts)" : ""),
                Unavailability.isUnavailable(failure));
    }

    private static void result(SyncAttempt attempt, String system, String action, boolean success, String error) {
        result(attempt, system, action, success, error, false);
    }

    private static void result(SyncAttempt attempt, String system, String action, boolean success, String error, boolean unavailable) {
        if (LedgerLine.COMMIT.equals(action)) {
            attempt.commitResult(system, success, error, unavailable);
        } else {
            attempt.rollbackResult(system, success, error);
        }
    }

    static SyncAttempt attempt(Exchange exchange) {
        return exchange.getProperty(SyncAttempt.PROPERTY, SyncAttempt.class);
    }

    private static int redeliveries(Exchange exchange) {
        Integer failed = exchange.getProperty(FAILED_ATTEMPTS, Integer.class);
        return failed == null ? 0 : failed;
    }

    private static Throwable failure(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static long elapsedMs(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
