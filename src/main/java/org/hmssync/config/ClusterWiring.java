package org.hmssync.config;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.hmssync.broker.PartitionGuard;
import org.hmssync.broker.Rejections;
import org.hmssync.event.SyncEvent;
import org.hmssync.cluster.ClusterOperations;
import org.hmssync.cluster.ClusterSettings;
import org.hmssync.cluster.PartitionLeases;
import org.hmssync.cluster.PartitionWork;
import org.hmssync.cluster.Partitions;
import org.hmssync.event.EventReader;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.runs.OperatorRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What cluster mode adds to a hub (HMS_LEDGER_URL and HMS_RABBITMQ_URI both set): operators' actions
 * travel to the owner of the event's partition, this hub takes its share of the partitions and of
 * the intake ({@link PartitionLeases}), repairs only the events of its partitions, and reads what
 * the other hubs wrote every {@code hms.cluster.follow-ms}.
 */
final class ClusterWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWiring.class);

    private final ClusterSettings settings;
    private final Stores stores;
    private final Partitions partitions;
    private final javax.sql.DataSource db;
    /** Set once by {@link #door}. */
    private ClusterOperations operations;
    /** Set once by {@link #install}. */
    private PartitionWork work;

    private ClusterWiring(ClusterSettings settings, javax.sql.DataSource db, Stores stores) {
        this.settings = settings;
        this.db = db;
        this.stores = stores;
        this.partitions = new Partitions(settings.partitions());
    }

    static ClusterWiring of(Stores.SharedDatabase shared, Stores stores) {
        return new ClusterWiring(shared.settings(), shared.db(), stores);
    }

    String instanceId() {
        return settings.instanceId();
    }

    /** Something of this hub's own per partition (a mainframe window): opened when it takes one, closed when it hands one on. */
    void perPartition(java.util.function.IntConsumer take, java.util.function.IntConsumer giveBack) {
        work.perPartition(take, giveBack);
    }

    /** The partition of a known event, by its lane key. */
    int partitionOf(String eventId) {
        return partitions.of(stores.events().laneKey(eventId).orElse("event:" + eventId));
    }

    /** The operators' door: each action as a command to the event's owner, who answers it with {@code local}. */
    org.hmssync.runs.OperatorDoor door(OperatorRuns local, BrokerWiring broker) {
        operations = new ClusterOperations(local, stores.ledger(), this::partitionOf, broker.publisher(), stores.json());
        return operations;
    }

    /** After {@link #door}: this hub's share of the units, its consumers, the follow and the health check. */
    void install(CamelContext context, RunsWiring runs, BrokerWiring broker, EventReader reader, Rejections rejections) throws Exception {
        ToIntFunction<String> ofEvent = this::partitionOf;
        work = new PartitionWork(context, settings.partitions(), stores::follow, runs.repair(), runs.batches(), runs.inFlight(), ofEvent);
        ScheduledExecutorService beat = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "hms-cluster-beat");
        work.countConsumers(broker.unitConsumers(settings.partitions()));
        PartitionLeases leases = new PartitionLeases(settings.ledgerUrl(), settings.leaseSessionOptions(), settings.instanceId(), settings.partitions() + 1,
                settings.takeoverMs(), work, beat);
        java.util.function.Predicate<String> ownedHere = id -> leases.holds(ofEvent.applyAsInt(id));
        runs.repair().onlyWhere(ownedHere);
        runs.batches().undoOnly(ownedHere);
        operations.holding(leases::holds);
        ToIntFunction<SyncEvent> ofDelivered = event -> partitions.of(event.laneKey());
        PartitionGuard guard = new PartitionGuard(ofDelivered, settings.partitions(), leases::holds);
        broker.consumeClustered(context, reader, runs.runner(), runs.lanes(), rejections, operations, guard, ofDelivered);
        work.countOutstanding(guard::outstanding);
        // first at a stop: nothing is taken or given back while the routes stop; the locks go last, with the session
        ContextStopping.run(context, leases::stopBeating);
        Stores.closeWithContext(context, leases);
        context.getRegistry().bind("hmsSharedLedgerHealth", new org.hmssync.observe.SharedLedgerHealthCheck(db));
        ScheduledExecutorService follow = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "hms-cluster-follow");
        // the pool closes with the services, after the routes: the follow stops first
        ContextStopping.run(context, follow::shutdownNow);
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the units start once every route is there
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                follow.scheduleWithFixedDelay(ClusterWiring.this::followQuietly, settings.followMs(), settings.followMs(), TimeUnit.MILLISECONDS);
                leases.start();
                LOG.info("cluster mode: hub {} joins, {} partitions, takeover within {} s", settings.instanceId(), settings.partitions(),
                        settings.takeoverMs() / 1000);
            }
        });
    }

    private void followQuietly() {
        try {
            stores.follow();
        } catch (RuntimeException e) {
            LOG.warn("cluster: could not read what the other hubs wrote: {}", FailureReasons.of(e));
        }
    }
}
