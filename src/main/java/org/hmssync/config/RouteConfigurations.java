package org.hmssync.config;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.hmssync.coordinator.AdapterPhaseRoutes;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.ingress.IngressRoutes;
import org.hmssync.observe.AlertRoutes;

/**
 * Error handling, once, for the routes that opt in by id. Routes that name none (the adapters' and
 * simulators' YAML routes) get the global one: no error handler, so a failure goes back to the
 * hub's phase route, whose redelivery is the one owner of retries.
 */
final class RouteConfigurations extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration().errorHandler(noErrorHandler());
        // the coordinator's run: a failure (a write that failed) goes back to the runner, which parks the event
        routeConfiguration(CoordinatorRoutes.ERRORS).errorHandler(noErrorHandler());
        // the hub's side of each adapter call: Camel's default handler, under each route's own redelivery
        routeConfiguration(AdapterPhaseRoutes.ERRORS).errorHandler(defaultErrorHandler());
        // the alert webhook: Camel's default handler, under the route's own redelivery (which logs nothing)
        routeConfiguration(AlertRoutes.ERRORS).errorHandler(defaultErrorHandler());
        // HTTP handlers: a failure is logged and answered 500 by the server
        routeConfiguration(IngressRoutes.ERRORS).errorHandler(defaultErrorHandler());
    }
}
