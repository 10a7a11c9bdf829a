package org.hmssync.observe;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness is DOWN until the start-up recovery has finished what the ledger left unfinished. */
public final class RecoveryHealthCheck extends AbstractHealthCheck {

    private final BooleanSupplier recovered;

    public RecoveryHealthCheck(BooleanSupplier recovered) {
        super("hms", "recovery");
        this.recovered = recovered;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (recovered.getAsBoolean()) {
            builder.up();
        } else {
            builder.message("start-up recovery is still finishing the events the ledger left unfinished").down();
        }
    }
}
