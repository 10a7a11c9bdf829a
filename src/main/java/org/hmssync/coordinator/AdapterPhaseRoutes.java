package org.hmssync.coordinator;

import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.RetrySettings;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.ledger.LedgerLine;

/**
 * For every configured adapter, the hub's side of its three YAML routes: {@code hms-prepare-<name>},
 * {@code hms-commit-<name>}, {@code hms-rollback-<name>}. Retries have one owner, Camel's redelivery
 * here, configured per adapter; the adapter routes themselves carry no error handler.
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
                .to("direct:" + name + "-prepare")
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
        from("direct:hms-" + action + "-" + name).routeId("hms-" + action + "-" + name)
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
            .process(calls::begin)
            .to("direct:" + name + "-" + action)
            .process(e -> calls.succeeded(name, action, e));
    }

    /** Bean for the filter: asks {@link AdapterCalls#mustUndo} for one system. */
    public record UndoCheck(AdapterCalls calls, String system) {
        public boolean mustUndo(org.apache.camel.Exchange exchange) {
            return calls.mustUndo(system, exchange);
        }
    }
}
