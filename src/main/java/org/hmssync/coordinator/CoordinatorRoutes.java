package org.hmssync.coordinator;

import org.apache.camel.builder.RouteBuilder;

/**
 * The coordinator's one route: a run of the two-phase protocol for one event, synchronously. It
 * returns when the event's final status is on disk; what happens next (parking, the outcome) is the
 * caller's. Every run enters here from {@code runs/}, in its claimant's lane.
 */
public final class CoordinatorRoutes extends RouteBuilder {

    /** Body: the event as stored; headers {@link HmsHeaders#ROLLBACK_TOKEN} and {@link HmsHeaders#RUN}. */
    public static final String RUN = "direct:hms-coordinate";
    /** Its route configuration: no error handler, a failure (a write that failed) goes back to the runner. */
    public static final String ERRORS = "hms-errors-to-caller";

    private final TwoPhaseProtocol protocol;

    public CoordinatorRoutes(TwoPhaseProtocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public void configure() {
        from(RUN).routeId("hms-coordinator")
            .routeConfigurationId(ERRORS)
            .process(protocol::run);
    }
}
