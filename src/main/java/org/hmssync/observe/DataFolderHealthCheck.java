package org.hmssync.observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.hmssync.ledger.WriteProbe;

/** Readiness is DOWN while the hub cannot write where it keeps its truth: ledger, events, DLQ, mainframe drop. */
public final class DataFolderHealthCheck extends AbstractHealthCheck {

    private final WriteProbe probe;

    public DataFolderHealthCheck(WriteProbe probe) {
        super("hms", "data-folder");
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        probe.problem().ifPresentOrElse(problem -> builder.message(problem).down(), builder::up);
    }
}
