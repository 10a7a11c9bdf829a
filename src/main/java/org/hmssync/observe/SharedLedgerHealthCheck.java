package org.hmssync.observe;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Cluster mode: readiness is DOWN while the shared ledger's database does not answer (nothing could be written). */
public final class SharedLedgerHealthCheck extends AbstractHealthCheck {

    private final DataSource db;

    public SharedLedgerHealthCheck(DataSource db) {
        super("hms", "shared-ledger");
        this.db = db;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = db.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.message("the shared ledger's database does not answer").down();
            }
        } catch (Exception e) {
            builder.message("the shared ledger's database does not answer: " + e.getMessage()).down();
        }
    }
}
