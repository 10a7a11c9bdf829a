package org.hmssync.observe;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * With HMS_ROUTES_RELOAD: UP always (the running adapters are fine), with the reason the last
 * edit of an adapter file was not loaded as its message, for a person looking at
 * {@code /observe/health?exposureLevel=full}.
 */
public final class AdapterReloadHealthCheck extends AbstractHealthCheck {

    private final Supplier<String> lastRefusal;

    public AdapterReloadHealthCheck(Supplier<String> lastRefusal) {
        super("hms", "adapter-reload");
        this.lastRefusal = lastRefusal;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String refusal = lastRefusal.get();
        if (refusal != null) {
            builder.detail("last_edit_refused", refusal);
            builder.message(refusal.length() <= 500 ? refusal : refusal.substring(0, 499) + "…");
        }
        builder.up();
    }
}
