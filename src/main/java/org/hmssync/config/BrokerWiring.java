package org.hmssync.config;

import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.hmssync.broker.BrokerConnectionLog;
import org.hmssync.broker.BrokerConnections;
import org.hmssync.broker.BrokerEventConsumer;
import org.hmssync.broker.BrokerHealthCheck;
import org.hmssync.broker.BrokerOutcomes;
import org.hmssync.broker.BrokerPublisher;
import org.hmssync.broker.BrokerRoutes;
import org.hmssync.broker.BrokerSettings;
import org.hmssync.broker.OperatorCommands;
import org.hmssync.broker.PartitionGuard;
import org.hmssync.broker.BrokerSubmission;
import org.hmssync.broker.BrokerTopology;
import org.hmssync.broker.FinalViews;
import org.hmssync.broker.Rejections;
import org.hmssync.event.EventReader;
import org.hmssync.observe.Alert;
import org.hmssync.runs.EventRunner;
import org.hmssync.runs.KeyedLanes;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * What changes when HMS_RABBITMQ_URI is set: POST /events publishes to the broker, outcomes go to
 * it, and the hub consumes its queue. Connected first (the runner announces through it), consuming
 * once the runner exists.
 */
final class BrokerWiring {

    private final BrokerSettings settings;
    private final CachingConnectionFactory connections;
    private final BrokerPublisher publisher;
    private final BrokerOutcomes outcomes;
    private final FinalViews views;
    private final BrokerTopology topology;

    private BrokerWiring(BrokerSettings settings, CachingConnectionFactory connections, BrokerTopology topology, BrokerPublisher publisher,
                         FinalViews views) {
        this.settings = settings;
        this.connections = connections;
        this.topology = topology;
        this.publisher = publisher;
        this.views = views;
        this.outcomes = new BrokerOutcomes(publisher, views);
    }

    static BrokerWiring connect(CamelContext context, BrokerSettings settings, ProducerTemplate template, FinalViews views) {
        try {
            return connectOrThrow(context, settings, template, views);
        } catch (Exception e) {
            throw new IllegalStateException("could not set up RabbitMQ: " + e.getMessage(), e);
        }
    }

    private static BrokerWiring connectOrThrow(CamelContext context, BrokerSettings settings, ProducerTemplate template,
                                               FinalViews views) throws Exception {
        CachingConnectionFactory connections = BrokerConnections.create(settings);
        connections.addConnectionListener(new BrokerConnectionLog(connections.getHost(), connections.getPort()));
        BrokerTopology topology = new BrokerTopology(settings, connections);
        connections.addConnectionListener(topology);
        context.getRegistry().bind(BrokerPublisher.CONNECTIONS, connections);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connections.destroy();
            }
        });
        context.getRegistry().bind("hmsBrokerHealth", new BrokerHealthCheck(connections));
        return new BrokerWiring(settings, connections, topology, new BrokerPublisher(template), views);
    }

    BrokerOutcomes outcomes() {
        return outcomes;
    }

    /** An alert to the outcomes exchange (routing key {@code alert.<kind>}). */
    void alert(Alert alert) {
        publisher.alert(alert.routingKey(), alert.eventId(), alert.json());
    }

    BrokerSubmission submission() {
        return new BrokerSubmission(publisher);
    }

    BrokerPublisher publisher() {
        return publisher;
    }

    /**
     * Cluster mode: a consumer per partition queue, answering operators' commands too, and the
     * intake that forwards each valid event to its partition; none runs until the hub holds its unit.
     * Each partition's outstanding deliveries are the guard's to count.
     */
    void consumeClustered(CamelContext context, EventReader reader, EventRunner runner, KeyedLanes lanes,
                                                          Rejections rejections, OperatorCommands commands, PartitionGuard guard,
                                                          java.util.function.ToIntFunction<org.hmssync.event.SyncEvent> partitionOf) throws Exception {
        ScheduledExecutorService ackTimer = ackTimer(context);
        BrokerEventConsumer partitions = consumer(reader, runner, lanes, rejections, ackTimer);
        partitions.partitions(guard, commands);
        BrokerEventConsumer intake = consumer(reader, runner, lanes, rejections, ackTimer);
        intake.forwardTo(partitionOf);
        ContextStopping.run(context, () -> partitions.finishAndAckAtOnce(settings.stopDrainMs()));
        context.addRoutes(new org.hmssync.broker.ClusterRoutes(settings, partitions, intake, org.hmssync.cluster.PartitionWork::partitionRoute,
                org.hmssync.cluster.PartitionWork.INTAKE_ROUTE));
    }

    /**
     * Cluster mode: the consumers on each unit's queue (a partition's, or the intake's for the last
     * unit), as the broker counts them; a broker this hub cannot reach counts none (its consumer
     * could not start anyway, and the ledger's unfinished events must not wait for the broker).
     */
    java.util.function.IntUnaryOperator unitConsumers(int partitions) {
        return unit -> {
            try {
                return topology.consumersOf(unit == partitions ? settings.queue() : settings.partitionQueue(unit));
            } catch (RuntimeException unreachable) {
                return 0;
            }
        };
    }

    void consume(CamelContext context, EventReader reader, EventRunner runner, KeyedLanes lanes, Rejections rejections) throws Exception {
        ScheduledExecutorService ackTimer = ackTimer(context);
        BrokerEventConsumer consumer = consumer(reader, runner, lanes, rejections, ackTimer);
        // before the routes stop (services stop after them): their consumers' channels close then
        ContextStopping.run(context, () -> consumer.finishAndAckAtOnce(settings.stopDrainMs()));
        context.addRoutes(new BrokerRoutes(consumer));
    }

    /** One thread that sends the acks a consumer holds back to group them. */
    private ScheduledExecutorService ackTimer(CamelContext context) {
        return context.getExecutorServiceManager().newSingleThreadScheduledExecutor(connections, "hms-acks");
    }

    private BrokerEventConsumer consumer(EventReader reader, EventRunner runner, KeyedLanes lanes, Rejections rejections,
                                         ScheduledExecutorService ackTimer) {
        return new BrokerEventConsumer(reader, runner, lanes, publisher, views, rejections, settings.prefetch(), settings.ackDelayMs(), ackTimer);
    }
}
