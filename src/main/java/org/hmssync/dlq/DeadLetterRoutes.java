package org.hmssync.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.coordinator.FailureReasons;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's dead-letter channel ends here. The body is the original event (the
 * coordinator uses {@code useOriginalMessage}); the ledger's {@code dead_letter} line is on disk
 * before the DLQ file is.
 */
public final class DeadLetterRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoutes.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final DeadLetterStore store;
    private final ObjectMapper json;
    private final Clock clock;

    public DeadLetterRoutes(SyncLedger ledger, LedgerLines lines, DeadLetterStore store, ObjectMapper json, Clock clock) {
        this.ledger = ledger;
        this.lines = lines;
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from("direct:hms-dead-letter").routeId("hms-dead-letter")
            .errorHandler(defaultErrorHandler())
            .process(this::park);
    }

    private void park(Exchange exchange) throws Exception {
        String original = exchange.getMessage().getMandatoryBody(String.class);
        var event = json.readTree(original);
        String id = exchange.getMessage().getHeader(HmsHeaders.ROLLBACK_TOKEN, event.path("id").asText(), String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause instanceof org.hmssync.coordinator.EventParkedException
                ? cause.getMessage() : "hub error: " + FailureReasons.of(cause);
        ledger.record(lines.hub(id, LedgerLine.DEAD_LETTER, LedgerLine.SUCCESS, reason));
        EventRecord record = ledger.find(id).orElseThrow();
        store.park(new ParkedEvent(event, reason, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString(),
                record.status().wire(), record.systemsView()));
        LOG.warn("event {} parked in the DLQ ({}): {}", id, record.status().wire(), reason);
    }
}
