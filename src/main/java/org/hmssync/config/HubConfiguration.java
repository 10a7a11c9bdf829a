package org.hmssync.config;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.hmssync.broker.BrokerSettings;
import org.hmssync.broker.FinalViews;
import org.hmssync.broker.Rejections;
import org.hmssync.circuits.SystemCircuits;
import org.hmssync.coordinator.Holding;
import org.hmssync.observe.CircuitMetrics;
import org.hmssync.dlq.WorkbenchViews;
import org.hmssync.event.EventReader;
import org.hmssync.http.HttpLimits;
import org.hmssync.http.HttpServerGuard;
import org.hmssync.ingress.AccessGuard;
import org.hmssync.ingress.BatchRoutes;
import org.hmssync.ingress.SystemRoutes;
import org.hmssync.ingress.EventIntake;
import org.hmssync.ingress.HttpAnswers;
import org.hmssync.ingress.HttpFailures;
import org.hmssync.ingress.HubSummary;
import org.hmssync.ingress.IngressRoutes;
import org.hmssync.ingress.OperatorActions;
import org.hmssync.ledger.EventViews;
import org.hmssync.observe.AlertCounts;
import org.hmssync.observe.DataFolderHealthCheck;
import org.hmssync.observe.SyncMetrics;
import org.hmssync.runs.EventSubmission;
import org.hmssync.runs.LocalSubmission;
import org.hmssync.runs.OutcomeAnnouncer;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub from its properties, layer by layer: the stores under {@code hms.data-dir}, the
 * coordinator and its per-adapter routes, RabbitMQ when it is on, the alerts, the one door every
 * run goes through, the HTTP API, and the beans the YAML adapters and simulators refer to.
 */
public final class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        HubSettings properties = new HubSettings(context.getPropertiesComponent()::resolveProperty);
        // an adapter file's own settings sit under every property (the environment, HMS_CONFIG, the jar's defaults)
        AdapterFiles.Found adapterFiles = AdapterFiles.read(context, properties);
        Map<String, String> fromFiles = adapterFiles.settings();
        HubSettings settings = new HubSettings(key -> context.getPropertiesComponent().resolveProperty(key)
                .or(() -> Optional.ofNullable(fromFiles.get(key))));
        // stalled clients and floods of connections must not hold the HTTP server (hms.http.*)
        HttpServerGuard.install(context, HttpLimits.from(settings), settings.requiredInt("hms.http.port"));
        context.addRoutes(new RouteConfigurations());

        Stores stores = Stores.open(context, settings);
        List<AdapterSettings> adapters = settings.adapters(adapterFiles.names());
        ProducerTemplate template = context.createProducerTemplate();
        Holding holding = CircuitsWiring.install(context, settings, adapters);
        ProtocolWiring.install(context, settings, stores, adapters, template, holding);

        int maxBody = settings.requiredInt("hms.http.max-body-bytes");
        EventReader reader = new EventReader(stores.json(), maxBody, type -> adapters.stream().anyMatch(a -> a.follows(type)),
                (batch, id) -> stores.batchUndos().find(batch).filter(r -> stores.ledger().find(id).isEmpty())
                        .map(r -> "batch " + batch + " was undone (asked for at " + r.requestedAt() + "); its new events are refused"));
        // the outcome is announced by the run itself, after it parked the event: its view must not wait for that run
        Optional<BrokerWiring> broker = BrokerSettings.from(settings)
                .map(s -> BrokerWiring.connect(context, s, template, new FinalViews(new EventViews(stores.ledger(), stores.events()), stores.json())));
        AlertCounts alerts = AlertsWiring.install(context, settings, stores, template, broker, holding.circuits());
        Optional<ClusterWiring> cluster = stores.cluster().map(shared -> ClusterWiring.of(shared, stores));
        // in cluster mode an operator's action travels to the hub that owns the event
        RunsWiring runs = RunsWiring.install(context, settings, stores, template,
                broker.<OutcomeAnnouncer>map(BrokerWiring::outcomes).orElse(OutcomeAnnouncer.NONE), holding,
                local -> cluster.<org.hmssync.runs.OperatorDoor>map(c -> c.door(local, broker.orElseThrow())).orElse(local));
        EventSubmission submission;
        if (cluster.isPresent()) {
            cluster.get().install(context, runs, broker.orElseThrow(), reader, new Rejections(stores.json(), maxBody));
            submission = broker.get().submission();
        } else if (broker.isPresent()) {
            broker.get().consume(context, reader, runs.runner(), runs.lanes(), new Rejections(stores.json(), maxBody));
            submission = broker.get().submission();
        } else {
            submission = new LocalSubmission(runs.acceptance(), runs.inFlight(), runs.lanes(), runs.runner());
        }

        EventViews views = new EventViews(stores.ledger(), stores.events(), runs.inFlight()::completion);
        HttpAnswers answers = new HttpAnswers(stores.json());
        AccessGuard guard = new AccessGuard(settings.optional("hms.operator.token").orElse(null), settings.optional("hms.ingest.token").orElse(null), answers);
        context.addRoutes(new BatchRoutes(runs.batches(), answers, guard));
        context.addRoutes(new SystemRoutes(holding.circuits(), answers));
        WorkbenchViews workbench = new WorkbenchViews(stores.dlq(), stores.ledger(), adapters.stream().map(AdapterSettings::name).toList());
        context.addRoutes(new IngressRoutes(new EventIntake(reader, stores.json(), submission, views, answers), views, stores.ledger(),
                workbench, answers, new OperatorActions(runs.operator(), answers, workbench, stores.json()),
                guard, new HubSummary(stores.ledger(), stores.dlq()::size, runs.inFlight()::size), stores.proofs()));
        context.addStartupListener(new HttpServerWiring(settings.requiredInt("hms.http.port"), answers, new HttpFailures(answers, maxBody)));
        AdapterBeans.bind(context, settings, stores, cluster);
        reloadAdapters(context, settings, adapters, runs);
        observe(context, stores, runs, alerts, holding.circuits());
        LOG.info("HMS-SYNC data in {}; adapters {}; events from {}", stores.data(), adapters.stream().map(AdapterSettings::name).toList(),
                cluster.isPresent() ? "RabbitMQ and HTTP (through the broker), shared with the cluster's other hubs"
                        : broker.isPresent() ? "RabbitMQ and HTTP (through the broker)" : "HTTP only (HMS_RABBITMQ_URI is unset)");
    }

    /** HMS_ROUTES_RELOAD: edited adapter files on disk are checked and swapped in between events (not those inside the jar). */
    private static void reloadAdapters(CamelContext context, HubSettings settings, List<AdapterSettings> adapters, RunsWiring runs)
            throws Exception {
        String location = settings.required("hms.routes-location");
        if (!Boolean.parseBoolean(settings.required("hms.routes.reload"))) {
            return;
        }
        if (!location.startsWith("file:")) {
            LOG.warn("HMS_ROUTES_RELOAD is on, but the route files are the copies inside the jar ({}): nothing to reload", location);
            return;
        }
        AdapterReload reload = new AdapterReload(context, java.nio.file.Path.of(location.substring("file:".length()), "adapters"),
                adapters.stream().map(AdapterSettings::name).toList(), runs.runner().gate(), settings.requiredLong("hms.routes.reload-wait-ms"));
        context.getRegistry().bind("hmsAdapterReloadHealth", new org.hmssync.observe.AdapterReloadHealthCheck(reload::lastRefusal));
        // startup listeners hear of every route started later too (cluster mode's partitions): only the first start counts
        context.addStartupListener((ctx, alreadyStarted) -> {
            if (!alreadyStarted) {
                reload.start(ctx.getExecutorServiceManager().newSingleThreadScheduledExecutor(AdapterReload.class, "hms-adapter-reload"),
                        settings.requiredLong("hms.routes.reload-interval-ms"));
            }
        });
    }

    /** Readiness on the data folder, and the hub's meters on Camel's Micrometer registry once it exists (at start). */
    private static void observe(CamelContext context, Stores stores, RunsWiring runs, AlertCounts alerts, SystemCircuits circuits)
            throws Exception {
        context.getRegistry().bind("hmsDataFolderHealth", new DataFolderHealthCheck(stores.writable()));
        context.addStartupListener((ctx, alreadyStarted) -> {
            if (alreadyStarted) {
                return;   // a route started later (cluster mode's partitions): the meters exist already
            }
            MeterRegistry metrics = ctx.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (metrics != null) {
                SyncMetrics syncMetrics = new SyncMetrics(metrics, stores.dlq()::size, runs.inFlight()::size, alerts);
                stores.ledger().onDurable(syncMetrics::observe);
                CircuitMetrics.register(metrics, circuits);
            }
        });
    }
}
