package org.hmssync.broker;

import org.apache.camel.builder.RouteBuilder;

/** Consumes {@code hms.sync.events} with manual acknowledgement (see {@link BrokerEventConsumer}). */
public final class BrokerRoutes extends RouteBuilder {

    private final BrokerEventConsumer consumer;

    public BrokerRoutes(BrokerEventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void configure() {
        // The topology is declared by BrokerTopology on every connection, so autoDeclare is off;
        // replies are sent by the hub after the final status, so Camel's own reply is off too.
        from("spring-rabbitmq:{{hms.rabbitmq.exchange}}?queues={{hms.rabbitmq.queue}}"
                + "&connectionFactory=#" + BrokerPublisher.CONNECTIONS
                + "&autoDeclare=false&acknowledgeMode=MANUAL&disableReplyTo=true"
                + "&prefetchCount={{hms.rabbitmq.prefetch}}&concurrentConsumers={{hms.rabbitmq.consumers}}")
            .routeId("hms-rabbitmq-events")
            .process(consumer::consume);
    }
}
