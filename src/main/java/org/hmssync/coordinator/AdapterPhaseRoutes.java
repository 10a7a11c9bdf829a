package org.hmssync.coordinator;

import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.RetrySettings;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.circuits.SystemCircuits;

/**
 * For every configured adapter, the hub's side of its three YAML routes: {@code hms-prepare-<name>},
 * {@code hms-commit-<name>}, {@code hms-rollback-<name>}. Retries have one owner, Camel's redelivery
 * here, configured per adapter; the adapter routes themselves carry no error handler. Prepare and
 * commit go through the system's circuit (Camel's {@code circuitBreaker} EIP with Resilience4j, see
 * {@link SystemCircuits}); a rollback is always tried.
 */
public final class AdapterPhaseRoutes extends RouteBuilder {

    /** Their route configuration: Camel's default error handler, under which each route's own redelivery runs. */
    public static final String ERRORS = "hms-errors-adapter-calls";

    private final List<AdapterSettings> adapters;
    private final AdapterCalls calls;

    public AdapterPhaseRoutes(List<AdapterSettings> adapters, AdapterCalls calls) {
        this.adapters = adapters;
        this.calls = calls;
    }

    @Override
    public void configure() {
        for (AdapterSettings adapter : adapters) {
            String name = adapter.name();
            from("direct:hms-prepare-" + name).routeId("hms-prepare-" + name)
                .routeConfigurationId(ERRORS)
                .onException(Exception.class).handled(true)
                    .process(e -> calls.refused(name, e))
                .end()
                .process(calls::begin)
                .to(throughCircuit(name, "prepare"))
                .process(e -> calls.prepared(name, e));

            retried(adapter, LedgerLine.COMMIT);

            from("direct:hms-rollback-" + name + "-checked").routeId("hms-rollback-" + name + "-checked")
                .routeConfigurationId(ERRORS)
                .filter(method(new UndoCheck(calls, name), "mustUndo"))
                    .to("direct:hms-rollback-" + name);
            retried(adapter, LedgerLine.ROLLBACK);
        }
    }

    private void retried(AdapterSettings adapter, String action) {
        String name = adapter.name();
        RetrySettings retry = adapter.retry();
        ProcessorDefinition<?> route = from("direct:hms-" + action + "-" + name).routeId("hms-" + action + "-" + name)
            .routeConfigurationId(ERRORS)
            .onException(Exception.class)
                .maximumRedeliveries(retry.maxAttempts() - 1)
                .redeliveryDelay(retry.firstDelayMs())
                .useExponentialBackOff().backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelayMs())
                .onRedelivery(e -> calls.attemptFailed(name, action, e))
                .handled(true)
                .process(e -> calls.failed(name, action, e))
            .end()
            .process(calls::begin);
        // a commit goes through the system's circuit; a rollback is always tried
        route.to(LedgerLine.COMMIT.equals(action) ? throughCircuit(name, action) : "direct:" + name + "-" + action)
            .process(e -> calls.succeeded(name, action, e));
    }

    /**
     * A route of its own around the adapter's route, with the circuitBreaker EIP: a failure inside
     * the EIP skips the route's error handler, so it goes back to the calling phase route, whose
     * error handler votes no or retries. Returns its URI.
     */
    private String throughCircuit(String system, String phase) {
        String uri = "direct:hms-circuit-" + phase + "-" + system;
        from(uri).routeId("hms-circuit-" + phase + "-" + system)
            .routeConfigurationId(CoordinatorRoutes.ERRORS)
            .circuitBreaker().resilience4jConfiguration()
                    .circuitBreaker(SystemCircuits.beanName(system)).throwExceptionWhenHalfOpenOrOpenState(true).end()
                .to("direct:" + system + "-" + phase)
            .end();
        return uri;
    }

    /** Bean for the filter: asks {@link AdapterCalls#mustUndo} for one system. */
    public record UndoCheck(AdapterCalls calls, String system) {
        public boolean mustUndo(org.apache.camel.Exchange exchange) {
            return calls.mustUndo(system, exchange);
        }
    }
}
