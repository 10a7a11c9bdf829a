package org.hmssync.config;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * What must hold before anything starts, checked once the configuration and every route file are
 * loaded: a refusal is one {@link StartRefusedException} whose lines say what to fix.
 */
public final class StartChecks extends MainListenerSupport {

    static final String ADAPTER_ROUTES_CHECK = "hmsAdapterRoutesCheck";

    @Override
    public void afterConfigure(BaseMainSupport main) {
        refuseCamelsRouteReload(main);
        AdapterRoutesCheck routes = main.getCamelContext().getRegistry().lookupByNameAndType(ADAPTER_ROUTES_CHECK, AdapterRoutesCheck.class);
        if (routes != null) {
            routes.check(main.getCamelContext());
        }
    }

    /**
     * Camel's own route reload removes and re-adds routes under running events: with its defaults
     * every route went (POST /events answered 404), with remove-all-routes=false an adapter's commit
     * and rollback routes vanished. The hub reloads adapters itself, between events (HMS_ROUTES_RELOAD); the
     * setting is refused instead of half applied.
     */
    private static void refuseCamelsRouteReload(BaseMainSupport main) {
        if (main.configure().isRoutesReloadEnabled()) {
            throw new StartRefusedException("camel.main.routes-reload-enabled=true is not supported: Camel's route reload swaps routes "
                    + "under running events (an adapter's commit or rollback route can vanish mid-protocol). Remove the setting "
                    + "(or CAMEL_MAIN_ROUTESRELOADENABLED); HMS_ROUTES_RELOAD=true reloads edited adapter files safely, between events.");
        }
    }
}
