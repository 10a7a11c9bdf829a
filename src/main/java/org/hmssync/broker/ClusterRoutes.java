package org.hmssync.broker;

import org.apache.camel.builder.RouteBuilder;

/**
 * Cluster mode's consumers, none started at first: a hub starts the ones for the units it holds
 * (its partitions' queues, and the intake on {@code hms.sync.events}) and stops them when it gives
 * a unit back. The intake has one consumer, so it forwards events in the order they were published.
 */
public final class ClusterRoutes extends RouteBuilder {

    private final BrokerSettings settings;
    private final BrokerEventConsumer partitionConsumer;
    private final BrokerEventConsumer intakeConsumer;
    private final java.util.function.IntFunction<String> partitionRoute;
    private final String intakeRoute;

    public ClusterRoutes(BrokerSettings settings, BrokerEventConsumer partitionConsumer, BrokerEventConsumer intakeConsumer,
                         java.util.function.IntFunction<String> partitionRoute, String intakeRoute) {
        this.settings = settings;
        this.partitionConsumer = partitionConsumer;
        this.intakeConsumer = intakeConsumer;
        this.partitionRoute = partitionRoute;
        this.intakeRoute = intakeRoute;
    }

    @Override
    public void configure() {
        for (int p = 0; p < settings.partitions(); p++) {
            // the names BrokerSettings.partitionExchange and partitionQueue give, as placeholders like the hub's other endpoints
            from("spring-rabbitmq:{{hms.rabbitmq.exchange}}.partitions?queues={{hms.rabbitmq.queue}}.p" + p + common(1))
                .routeId(partitionRoute.apply(p))
                .autoStartup(false)
                .process(partitionConsumer::consume);
        }
        from("spring-rabbitmq:{{hms.rabbitmq.exchange}}?queues={{hms.rabbitmq.queue}}" + common(1))
            .routeId(intakeRoute)
            .autoStartup(false)
            .process(intakeConsumer::consume);
    }

    /** As {@link BrokerRoutes}: the hub declares the topology, acknowledges by hand and replies itself. */
    private static String common(int consumers) {
        return "&connectionFactory=#" + BrokerPublisher.CONNECTIONS
                + "&autoDeclare=false&acknowledgeMode=MANUAL&disableReplyTo=true"
                + "&prefetchCount={{hms.rabbitmq.prefetch}}&concurrentConsumers=" + consumers;
    }
}
