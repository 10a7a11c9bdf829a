package org.hmssync.coordinator;

import org.apache.camel.builder.RouteBuilder;

/**
 * The two-phase coordinator. Prepare fans out to every target in parallel under a deadline; the
 * decision is written; then commit everywhere, or roll back where something may have been
 * prepared. A run that does not commit ends in the dead-letter channel with the original event.
 */
public final class CoordinatorRoutes extends RouteBuilder {

    /** Runs asked for over HTTP (new events without a broker, undo, replay) and after a restart. */
    public static final String INBOX = "seda:hms-coordinate?blockWhenFull=true";
    /** One run, synchronously: returns when the final status (and any DLQ parking) is on disk. */
    public static final String RUN = "direct:hms-coordinate";

    private final CoordinatorSteps steps;
    private final FanOut fanOut;
    private final long prepareDeadlineMs;
    private final InFlightEvents inFlight;
    private final OutcomeAnnouncer outcomes;

    public CoordinatorRoutes(CoordinatorSteps steps, FanOut fanOut, long prepareDeadlineMs, InFlightEvents inFlight,
                             OutcomeAnnouncer outcomes) {
        this.inFlight = inFlight;
        this.outcomes = outcomes;
        this.steps = steps;
        this.fanOut = fanOut;
        this.prepareDeadlineMs = prepareDeadlineMs;
    }

    @Override
    public void configure() {
        from("seda:hms-coordinate?concurrentConsumers={{hms.coordinator.concurrency}}&size={{hms.coordinator.queue-size}}")
            .routeId("hms-runs")
            .to(RUN)
            .process(outcomes::announce);

        from(RUN)
            .routeId("hms-coordinator")
            .errorHandler(deadLetterChannel("direct:hms-dead-letter").useOriginalMessage())
            .onCompletion()
                .process(e -> inFlight.finish(e.getMessage().getHeader(HmsHeaders.ROLLBACK_TOKEN, String.class)))
            .end()
            .process(steps::begin)
            .process(fanOut.phase(steps::prepareRecipients, prepareDeadlineMs))
            .process(steps::decide)
            .process(fanOut.phase(steps::commitRecipients, 0))
            .process(steps::afterCommit)
            .process(fanOut.phase(steps::rollbackRecipients, 0))
            .process(steps::afterRollback)
            .process(steps::finish);
    }
}
