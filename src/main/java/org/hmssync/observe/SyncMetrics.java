package org.hmssync.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hmssync.ledger.LedgerLine;

/**
 * The hub's own metrics, read off the ledger lines as they reach disk, into Camel's Micrometer
 * registry (served by Camel at /observe/metrics in Prometheus text):
 * {@code sync_latency_ms} (histogram by system, phase, outcome), {@code sync_events_total} (by
 * final status), {@code sync_retries_total} (by system, phase), {@code sync_dlq_events} and
 * {@code sync_inflight_events} (gauges), and {@code sync_alerts_total} (by kind and outcome, from
 * {@link AlertCounts}).
 */
public final class SyncMetrics {

    private final MeterRegistry registry;
    private final Map<Step, DistributionSummary> latencies = new ConcurrentHashMap<>();

    private record Step(String system, String phase, String outcome) { }

    public SyncMetrics(MeterRegistry registry, Supplier<Number> dlqSize, Supplier<Number> inFlight, AlertCounts alerts) {
        this.registry = registry;
        Gauge.builder("sync.dlq.events", dlqSize).description("events parked in the DLQ").register(registry);
        Gauge.builder("sync.inflight.events", inFlight).description("events whose protocol is running").register(registry);
        for (String status : new String[] {"committed", "rolled_back", "needs_attention", "skipped"}) {
            finals(status);
        }
        for (String kind : alerts.kinds()) {
            for (String outcome : AlertCounts.OUTCOMES) {
                FunctionCounter.builder("sync.alerts", alerts, a -> a.get(kind, outcome))
                        .description("alerts sent to the webhook, failed after every attempt, or dropped from its full queue")
                        .tags("kind", kind, "outcome", outcome).register(registry);
            }
        }
    }

    /** Called once per ledger line, after it is on disk. */
    public void observe(LedgerLine line) {
        if (line.isHub()) {
            String status = finalStatus(line);
            if (status != null) {
                finals(status).increment();
            }
            return;
        }
        if (line.latencyMs() != null) {
            latencies.computeIfAbsent(new Step(line.system(), line.action(), line.result()), this::latency).record(line.latencyMs());
        }
        if (line.attempt() != null && line.attempt() > 1) {
            Counter.builder("sync.retries").description("calls repeated after a failure")
                    .tags("system", line.system(), "phase", line.action()).register(registry).increment();
        }
    }

    /**
     * This runs on the thread that forced the line, before it wakes the others waiting for that
     * force: a lookup, not a builder that sorts its tags and asks the registry on every line.
     */
    private DistributionSummary latency(Step step) {
        return DistributionSummary.builder("sync.latency").baseUnit("ms")
                .description("time one system took for one phase of one event")
                .tags("system", step.system(), "phase", step.phase(), "outcome", step.outcome())
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(60_000.0)
                .register(registry);
    }

    private Counter finals(String status) {
        return Counter.builder("sync.events").description("events that reached a final status")
                .tag("status", status).register(registry);
    }

    private static String finalStatus(LedgerLine line) {
        if (LedgerLine.COMMIT.equals(line.action()) && LedgerLine.SUCCESS.equals(line.result())) {
            return "committed";
        }
        if (LedgerLine.DECISION.equals(line.action()) && LedgerLine.DECIDE_SKIP.equals(line.result())) {
            return "skipped";
        }
        if (LedgerLine.ROLLBACK.equals(line.action())) {
            return LedgerLine.SUCCESS.equals(line.result()) ? "rolled_back" : "needs_attention";
        }
        return null;
    }
}
