package org.hmssync.coordinator;

import java.util.concurrent.ExecutorService;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.builder.AggregationStrategies;
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
    private final ExecutorService branches;
    private final long prepareDeadlineMs;
    private final InFlightEvents inFlight;
    private final OutcomeAnnouncer outcomes;

    public CoordinatorRoutes(CoordinatorSteps steps, ExecutorService branches, long prepareDeadlineMs, InFlightEvents inFlight,
                             OutcomeAnnouncer outcomes) {
        this.inFlight = inFlight;
        this.outcomes = outcomes;
        this.steps = steps;
        this.branches = branches;
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
            // Camel's timeout ends the wait, not the call: a straggler's late answer counts as no
            // and is undone by its rollback branch (AdapterCalls#mustUndo, AdapterCalls#vote).
            .recipientList(method(steps, "prepareRecipients")).parallelProcessing().executorService(branches)
                .timeout(prepareDeadlineMs).aggregationStrategy(keepCoordinatorMessage()).end()
            .process(steps::decide)
            .recipientList(method(steps, "commitRecipients")).parallelProcessing().executorService(branches)
                .aggregationStrategy(keepCoordinatorMessage()).end()
            .process(steps::afterCommit)
            .recipientList(method(steps, "rollbackRecipients")).parallelProcessing().executorService(branches)
                .aggregationStrategy(keepCoordinatorMessage()).end()
            .process(steps::afterRollback)
            .process(steps::finish);
    }

    /** Branches report through the shared SyncAttempt; their messages and failures stay theirs. */
    private static AggregationStrategy keepCoordinatorMessage() {
        return AggregationStrategies.useOriginal(false);
    }
}
