package org.hmssync.config;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.Holding;
import org.hmssync.dlq.ParkedEvent;
import org.hmssync.observe.RecoveryHealthCheck;
import org.hmssync.runs.BatchUndos;
import org.hmssync.runs.EventAcceptance;
import org.hmssync.runs.EventRunner;
import org.hmssync.runs.InFlightEvents;
import org.hmssync.runs.KeyedLanes;
import org.hmssync.runs.LedgerRepair;
import org.hmssync.runs.OperatorDoor;
import org.hmssync.runs.OperatorRuns;
import org.hmssync.runs.OutcomeAnnouncer;
import org.hmssync.runs.RecoveryStarter;
import org.hmssync.settings.HubSettings;

/** The one door: claims, claimant lanes, the runner every run goes through, the operator's runs and recovery. */
record RunsWiring(InFlightEvents inFlight, KeyedLanes lanes, EventAcceptance acceptance, EventRunner runner, OperatorRuns local,
                  OperatorDoor operator, BatchUndos batches, LedgerRepair repair) {

    static RunsWiring install(CamelContext context, HubSettings settings, Stores stores, ProducerTemplate template,
                              OutcomeAnnouncer outcomes, Holding holding,
                              java.util.function.Function<OperatorRuns, OperatorDoor> door) throws Exception {
        InFlightEvents inFlight = new InFlightEvents();
        java.util.concurrent.ExecutorService lanePool = context.getExecutorServiceManager()
                .newFixedThreadPool(RunsWiring.class, "hms-lane", settings.requiredInt("hms.coordinator.concurrency"));
        KeyedLanes lanes = new KeyedLanes(lanePool, settings.requiredInt("hms.coordinator.queue-size"));
        long drainMs = settings.requiredLong("hms.coordinator.stop-drain-ms");
        // before the routes stop: nothing new starts (it would meet stopped routes), running events finish
        ContextStopping.run(context, () -> {
            holding.stop();
            try {
                lanes.close(drainMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        EventAcceptance acceptance = new EventAcceptance(stores.events(), stores.ledger(), stores.lines());
        EventRunner runner = new EventRunner(acceptance, stores.events(), stores.ledger(), inFlight, lanes, template, stores.parking(), outcomes,
                holding, lanePool);
        LedgerRepair repair = new LedgerRepair(stores.ledger(), stores.events(), inFlight, stores.parking(), runner);
        RecoveryStarter recovery = new RecoveryStarter(repair,
                stores.writable(), () -> stores.dlq().list().stream().map(ParkedEvent::id).toList(), settings.requiredLong("hms.repair.interval-ms"));
        context.addStartupListener(recovery);
        context.getRegistry().bind("hmsRecoveryHealth", new RecoveryHealthCheck(recovery::isRecovered));
        OperatorRuns local = new OperatorRuns(stores.ledger(), stores.lines(), stores.parking(), inFlight, runner);
        OperatorDoor operator = door.apply(local);
        BatchUndos batches = new BatchUndos(stores.ledger(), stores.batchUndos(), operator,
                context.getExecutorServiceManager().newSingleThreadExecutor(RunsWiring.class, "hms-batch-undo"));
        runner.afterEachRun(batches::afterRun);
        context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the routes run from onCamelContextFullyStarted on
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                batches.resume();
            }
        });
        return new RunsWiring(inFlight, lanes, acceptance, runner, local, operator, batches, repair);
    }
}
