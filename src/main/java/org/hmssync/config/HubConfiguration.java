package org.hmssync.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.support.service.ServiceSupport;
import org.hmssync.adapters.mainframe.BatchWindowDrop;
import org.hmssync.adapters.mainframe.LandingZone;
import org.hmssync.adapters.mainframe.MainframeDrop;
import org.hmssync.adapters.mainframe.MainframeRecords;
import org.hmssync.coordinator.AdapterCalls;
import org.hmssync.coordinator.AdapterPhaseRoutes;
import org.hmssync.coordinator.AdapterSettings;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.CoordinatorSteps;
import org.hmssync.coordinator.FanOut;
import org.hmssync.coordinator.HubSettings;
import org.hmssync.coordinator.EventRunner;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.coordinator.KeyedLanes;
import org.hmssync.coordinator.OutcomeAnnouncer;
import org.hmssync.coordinator.RecoveryStarter;
import org.hmssync.coordinator.TargetPolicy;
import org.hmssync.dlq.DeadLetterRoutes;
import org.hmssync.dlq.DeadLetterStore;
import org.hmssync.event.EventReader;
import org.hmssync.event.EventStore;
import org.hmssync.broker.BrokerSettings;
import org.hmssync.broker.FinalViews;
import org.hmssync.ingress.EventAcceptance;
import org.hmssync.ingress.EventIntake;
import org.hmssync.ingress.LocalSubmission;
import org.hmssync.ingress.EventViews;
import org.hmssync.ingress.HttpAnswers;
import org.hmssync.ingress.HttpFailures;
import org.hmssync.ingress.HubSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.hmssync.dlq.WorkbenchViews;
import org.hmssync.ingress.AccessGuard;
import org.hmssync.ingress.IngressRoutes;
import org.hmssync.observe.DataFolderHealthCheck;
import org.hmssync.observe.SyncMetrics;
import org.hmssync.ingress.OperatorActions;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.simulators.SimulatedSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub from its properties: the stores under {@code hms.data-dir}, the coordinator and
 * its per-adapter routes, the HTTP API, and the beans the YAML adapters and simulators refer to.
 */
public final class HubConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        HubSettings settings = new HubSettings(context.getPropertiesComponent()::resolveProperty);
        Path data = Path.of(settings.required("hms.data-dir")).toAbsolutePath();
        int groupCommit = settings.requiredInt("hms.ledger.group-commit-max");
        ObjectMapper json = HubJson.mapper();
        Clock clock = Clock.systemUTC();

        // Adapter routes carry no error handler: a failure goes back to the hub's redelivery.
        context.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerDefinition());

        int cachedEvents = settings.requiredInt("hms.ledger.cached-events");
        SyncLedger ledger = closeWithContext(context, new SyncLedger(data.resolve("ledger.jsonl"), groupCommit, cachedEvents, json));
        EventStore events = closeWithContext(context, new EventStore(data.resolve("events.jsonl"), groupCommit, json));
        DeadLetterStore dlq = new DeadLetterStore(data.resolve("dlq"), json);
        LedgerLines lines = new LedgerLines(clock);

        List<AdapterSettings> adapters = settings.adapters();
        TargetPolicy policy = new TargetPolicy(context, json, adapters);
        ProducerTemplate template = context.createProducerTemplate();
        AdapterCalls calls = new AdapterCalls(ledger, lines, template, settings.coordinatorStragglerWaitMs());
        CoordinatorSteps steps = new CoordinatorSteps(ledger, lines, policy, json, dlq);
        InFlightEvents inFlight = new InFlightEvents();
        int branchThreads = settings.requiredInt("hms.coordinator.branch-threads");
        ExecutorService branches = context.getExecutorServiceManager().newFixedThreadPool(this, "hms-branch", branchThreads);
        long deadline = adapters.stream().mapToLong(AdapterSettings::prepareTimeoutMs).max().orElse(1);

        HttpAnswers answers = new HttpAnswers(json);
        EventViews views = new EventViews(ledger, events);
        int maxBody = settings.requiredInt("hms.http.max-body-bytes");
        EventReader reader = new EventReader(json, maxBody);
        EventAcceptance acceptance = new EventAcceptance(events, ledger, lines);
        Optional<BrokerSettings> broker = BrokerSettings.from(settings);
        int laneThreads = settings.requiredInt("hms.coordinator.concurrency");
        KeyedLanes lanes = new KeyedLanes(context.getExecutorServiceManager().newFixedThreadPool(this, "hms-lane", laneThreads),
                settings.requiredInt("hms.coordinator.queue-size"));
        BrokerWiring wiring = broker.isPresent()
                ? BrokerWiring.install(context, broker.get(), reader, acceptance, ledger, inFlight, template, new FinalViews(views, json), lanes)
                : BrokerWiring.none(new LocalSubmission(acceptance, inFlight, lanes,
                        new EventRunner(acceptance, ledger, inFlight, template, OutcomeAnnouncer.NONE)));
        EventIntake intake = new EventIntake(reader, json, wiring.submission(), views, answers);
        OperatorActions operator = new OperatorActions(ledger, lines, events, dlq, inFlight, template, answers);

        // Camel's Micrometer registry exists once the context starts: hang the hub's meters on it then.
        context.addStartupListener((ctx, alreadyStarted) -> {
            MeterRegistry metrics = ctx.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (metrics != null) {
                SyncMetrics syncMetrics = new SyncMetrics(metrics, () -> dlq.list().size(), inFlight::size);
                ledger.onDurable(syncMetrics::observe);
            }
        });
        context.getRegistry().bind("hmsDataFolderHealth", new DataFolderHealthCheck(data));
        // camel-jackson's type converters use this mapper: request bodies stay compact and exact
        context.getRegistry().bind("hmsJson", json);
        context.getRegistry().bind("hmsLedger", ledger);
        context.getRegistry().bind("hmsEvents", events);
        context.getRegistry().bind("hmsDeadLetters", dlq);
        java.nio.charset.Charset charset = java.nio.charset.Charset.forName(settings.required("hms.mainframe.charset"));
        MainframeRecords mainframeRecords = new MainframeRecords(clock, charset);
        mainframeRecords.setCamelContext(context);
        context.getRegistry().bind("mainframeRecords", mainframeRecords);
        context.getRegistry().bind("mainframeDrop", landingZone(context, settings, data.resolve("mainframe"), mainframeRecords, charset, clock));
        context.getRegistry().bind("debitVendorSimulator", new SimulatedSystem("debit-vendor", json));
        context.getRegistry().bind("dashboardSimulator", new SimulatedSystem("dashboard", json));

        context.addRoutes(new CoordinatorRoutes(steps, new FanOut(template, branches), deadline, inFlight, wiring.outcomes()));
        context.addRoutes(new AdapterPhaseRoutes(adapters, calls));
        context.addRoutes(new DeadLetterRoutes(ledger, lines, dlq, json, clock));
        context.addRoutes(new IngressRoutes(intake, views, ledger, new WorkbenchViews(dlq, ledger), answers, operator,
                new AccessGuard(settings.optional("hms.operator.token").orElse(null),
                        settings.optional("hms.ingest.token").orElse(null), answers),
                new HubSummary(ledger, dlq::size, inFlight::size)));
        context.addStartupListener(new AdapterRoutesCheck(adapters));
        context.addStartupListener(new HttpServerWiring(settings.requiredInt("hms.http.port"), answers, new HttpFailures(answers, maxBody)));
        context.addStartupListener(new RecoveryStarter(ledger, events, inFlight));
        LOG.info("HMS-SYNC data in {}; adapters {}; events from {}", data, adapters.stream().map(AdapterSettings::name).toList(),
                broker.isPresent() ? "RabbitMQ and HTTP (through the broker)" : "HTTP only (HMS_RABBITMQ_URI is unset)");
    }

    /** HMS_MAINFRAME_MODE: per-event files (the default) or batch-window files. */
    private static LandingZone landingZone(CamelContext context, HubSettings settings, Path root, MainframeRecords records,
                                           java.nio.charset.Charset charset, Clock clock) throws Exception {
        String mode = settings.required("hms.mainframe.mode");
        switch (mode) {
            case "per-event":
                LOG.info("mainframe per-event mode: one file per committed event in {}", root.resolve("outbox"));
                return new MainframeDrop(root);
            case "window":
                int maxRecords = settings.requiredInt("hms.mainframe.window.max-records");
                long maxAgeMs = settings.requiredLong("hms.mainframe.window.max-age-ms");
                LOG.info("mainframe window mode: committed records gather in {} and go out as one batch file in {} at {} records or {} ms,"
                        + " whichever comes first (HMS_MAINFRAME_WINDOW_MAX_RECORDS, HMS_MAINFRAME_WINDOW_MAX_AGE_MS)",
                        root.resolve("window"), root.resolve("outbox"), maxRecords, maxAgeMs);
                return closeWithContext(context, new BatchWindowDrop(root, records, charset, maxRecords, maxAgeMs, clock));
            default:
                throw new IllegalArgumentException("HMS_MAINFRAME_MODE must be per-event or window, was " + mode);
        }
    }

    /** Stops the store after the routes, so in-flight events can still write their lines. */
    private static <T extends AutoCloseable> T closeWithContext(CamelContext context, T closeable) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closeable.close();
            }
        });
        return closeable;
    }
}
