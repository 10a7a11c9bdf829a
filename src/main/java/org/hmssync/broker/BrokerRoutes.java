package org.hmssync.broker;

import org.apache.camel.builder.RouteBuilder;

/** Consumes {@code hms.sync.events} with manual acknowledgement (see {@link BrokerEventConsumer}). */
public final class BrokerRoutes extends RouteBuilder {

    private final BrokerSettings settings;
    private final BrokerEventConsumer consumer;

    public BrokerRoutes(BrokerSettings settings, BrokerEventConsumer consumer) {
        this.settings = settings;
        this.consumer = consumer;
    }

    @Override
    public void configure() {
        // The topology is declared by BrokerTopology on every connection, so autoDeclare is off;
        // replies are sent by the hub after the final status, so Camel's own reply is off too.
        from("spring-rabbitmq:" + settings.exchange()
                + "?queues=" + settings.queue()
                + "&connectionFactory=#" + BrokerPublisher.CONNECTIONS
                + "&autoDeclare=false&acknowledgeMode=MANUAL&disableReplyTo=true"
                + "&prefetchCount=" + settings.prefetch()
                + "&concurrentConsumers=" + settings.consumers())
            .routeId("hms-rabbitmq-events")
            .process(consumer::consume);
    }
}
