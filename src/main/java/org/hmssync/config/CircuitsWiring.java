package org.hmssync.config;

import java.util.List;
import org.apache.camel.CamelContext;
import org.hmssync.circuits.SystemCircuits;
import org.hmssync.coordinator.Holding;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.HubSettings;

/** One circuit per adapter, in the registry where the phase routes' circuitBreaker EIP finds it, and the hold around them. */
final class CircuitsWiring {

    private CircuitsWiring() {
    }

    static Holding install(CamelContext context, HubSettings settings, List<AdapterSettings> adapters) {
        long probeWindowMs = 2 * adapters.stream().mapToLong(AdapterSettings::prepareTimeoutMs).max().orElse(1000);
        SystemCircuits circuits = new SystemCircuits(adapters.stream().map(AdapterSettings::name).toList(), settings.circuits(),
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(CircuitsWiring.class, "hms-circuits"), probeWindowMs);
        circuits.breakers().forEach((system, breaker) -> context.getRegistry().bind(SystemCircuits.beanName(system), breaker));
        return new Holding(circuits, settings.circuits(), settings.retry());
    }
}
