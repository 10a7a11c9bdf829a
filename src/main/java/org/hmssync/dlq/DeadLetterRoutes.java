package org.hmssync.dlq;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.coordinator.FailureReasons;
import org.hmssync.coordinator.HmsHeaders;

/**
 * The coordinator's dead-letter channel ends here. The body is the original event (the
 * coordinator uses {@code useOriginalMessage}); {@link Parking} puts the DLQ file on disk before
 * the ledger's {@code dead_letter} line.
 */
public final class DeadLetterRoutes extends RouteBuilder {

    private final Parking parking;

    public DeadLetterRoutes(Parking parking) {
        this.parking = parking;
    }

    @Override
    public void configure() {
        from("direct:hms-dead-letter").routeId("hms-dead-letter")
            .errorHandler(defaultErrorHandler())
            .process(this::park);
    }

    private void park(Exchange exchange) throws Exception {
        String original = exchange.getMessage().getMandatoryBody(String.class);
        String id = exchange.getMessage().getHeader(HmsHeaders.ROLLBACK_TOKEN, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause instanceof org.hmssync.coordinator.EventParkedException
                ? cause.getMessage() : "hub error: " + FailureReasons.of(cause);
        parking.park(id, original, reason);
    }
}
