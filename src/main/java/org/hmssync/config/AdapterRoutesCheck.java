package org.hmssync.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.hmssync.coordinator.AdapterSettings;

/** Fails start-up when a configured adapter lacks one of its three routes: better than a 2 a.m. no vote. */
final class AdapterRoutesCheck implements StartupListener {

    private final List<AdapterSettings> adapters;

    AdapterRoutesCheck(List<AdapterSettings> adapters) {
        this.adapters = adapters;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        List<String> missing = new ArrayList<>();
        for (AdapterSettings adapter : adapters) {
            for (String phase : List.of("prepare", "commit", "rollback")) {
                String id = adapter.name() + "-" + phase;
                if (context.getRoute(id) == null) {
                    missing.add(id);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("hms.adapters names adapters whose routes are missing: " + missing
                    + " (expected routes/adapters/<name>.camel.yaml with ids <name>-prepare, -commit, -rollback)");
        }
    }
}
