package org.hmssync;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Camel's own route reload removes and re-adds routes under running events: with its defaults
 * every route went (POST /events answered 404), with remove-all-routes=false an adapter's commit
 * and rollback routes vanished. Until the hub reloads adapters itself, between events, the
 * setting is refused at start with one clear line instead of being half applied.
 */
final class CamelReloadRefusal extends MainListenerSupport {

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (main.configure().isRoutesReloadEnabled()) {
            IllegalStateException refusal = new IllegalStateException("camel.main.routes-reload-enabled=true is not supported: Camel's route "
                    + "reload swaps routes under running events (an adapter's commit or rollback route can vanish mid-protocol). "
                    + "Remove the setting (or CAMEL_MAIN_ROUTESRELOADENABLED) and restart the hub to load edited route files.");
            refusal.setStackTrace(new StackTraceElement[0]);
            throw refusal;
        }
    }
}
