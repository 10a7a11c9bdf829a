package org.hmssync.config;

import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.AdapterCalls;
import org.hmssync.coordinator.AdapterPhaseRoutes;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.FanOut;
import org.hmssync.coordinator.Holding;
import org.hmssync.coordinator.TargetPolicy;
import org.hmssync.coordinator.TwoPhaseProtocol;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.HubSettings;

/** The coordinator: the protocol's route and, per adapter, the hub's side of its three routes. */
final class ProtocolWiring {

    private ProtocolWiring() {
    }

    static void install(CamelContext context, HubSettings settings, Stores stores, List<AdapterSettings> adapters,
                        ProducerTemplate template, Holding holding) throws Exception {
        TargetPolicy policy = new TargetPolicy(context, stores.json(), adapters);
        ExecutorService branches = context.getExecutorServiceManager()
                .newFixedThreadPool(ProtocolWiring.class, "hms-branch", settings.requiredInt("hms.coordinator.branch-threads"));
        long deadline = adapters.stream().mapToLong(AdapterSettings::prepareTimeoutMs).max().orElse(1);
        TwoPhaseProtocol protocol = new TwoPhaseProtocol(stores.ledger(), stores.lines(), policy, stores.json(),
                new FanOut(template, branches), deadline, holding);
        context.addRoutes(new CoordinatorRoutes(protocol));
        context.addRoutes(new AdapterPhaseRoutes(adapters,
                new AdapterCalls(stores.ledger(), stores.lines(), template, settings.coordinatorStragglerWaitMs())));
        context.getRegistry().bind(StartChecks.ADAPTER_ROUTES_CHECK, new AdapterRoutesCheck(adapters));
    }
}
