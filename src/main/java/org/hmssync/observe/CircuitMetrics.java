package org.hmssync.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.hmssync.circuits.SystemCircuits;

/**
 * Per system: {@code sync_circuit_open} (1 while its circuit is open or half open, else 0) and
 * {@code sync_held_events} (events waiting for it). The alerting rules watch both.
 */
public final class CircuitMetrics {

    private CircuitMetrics() {
    }

    public static void register(MeterRegistry registry, SystemCircuits circuits) {
        for (String system : circuits.systems()) {
            Gauge.builder("sync.circuit.open", circuits, c -> c.isClosed(system) ? 0 : 1).tag("system", system)
                    .description("1 while the system's circuit is open or half open").register(registry);
            Gauge.builder("sync.held.events", circuits, c -> c.waiting(system)).tag("system", system)
                    .description("events waiting for the system").register(registry);
        }
    }
}
