package org.hmssync.ingress;

import org.apache.camel.builder.RouteBuilder;
import org.hmssync.circuits.SystemCircuits;

/** {@code GET /systems} (contract section 3): each external system's circuit, since when, and the events waiting for it. */
public final class SystemRoutes extends RouteBuilder {

    private final SystemCircuits circuits;
    private final HttpAnswers answers;

    public SystemRoutes(SystemCircuits circuits, HttpAnswers answers) {
        this.circuits = circuits;
        this.answers = answers;
    }

    @Override
    public void configure() {
        rest("/systems").get().id("hms-get-systems").to("direct:hms-get-systems");
        from("direct:hms-get-systems").routeId("hms-get-systems-handler").routeConfigurationId(IngressRoutes.ERRORS)
            .process(e -> answers.json(e, 200, circuits.view()));
    }
}
