package org.hmssync.config;

import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.hmssync.broker.BrokerConnectionLog;
import org.hmssync.broker.BrokerConnections;
import org.hmssync.broker.BrokerEventConsumer;
import org.hmssync.broker.BrokerHealthCheck;
import org.hmssync.broker.BrokerOutcomes;
import org.hmssync.broker.BrokerPublisher;
import org.hmssync.broker.BrokerRoutes;
import org.hmssync.broker.BrokerSettings;
import org.hmssync.broker.BrokerSubmission;
import org.hmssync.broker.BrokerTopology;
import org.hmssync.broker.FinalViews;
import org.hmssync.broker.Rejections;
import org.hmssync.coordinator.EventRunner;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.coordinator.KeyedLanes;
import org.hmssync.coordinator.OutcomeAnnouncer;
import org.hmssync.event.EventReader;
import org.hmssync.ingress.EventAcceptance;
import org.hmssync.ingress.EventSubmission;
import org.hmssync.ledger.SyncLedger;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** What changes when HMS_RABBITMQ_URI is set: how POST /events submits, and who hears outcomes. */
record BrokerWiring(EventSubmission submission, OutcomeAnnouncer outcomes) {

    static BrokerWiring none(EventSubmission local) {
        return new BrokerWiring(local, OutcomeAnnouncer.NONE);
    }

    static BrokerWiring install(CamelContext context, BrokerSettings settings, EventReader reader, EventAcceptance acceptance,
                                SyncLedger ledger, InFlightEvents inFlight, ProducerTemplate template, FinalViews views,
                                Rejections rejections, KeyedLanes lanes) throws Exception {
        CachingConnectionFactory connections = BrokerConnections.create(settings);
        connections.addConnectionListener(new BrokerConnectionLog(connections.getHost(), connections.getPort()));
        connections.addConnectionListener(new BrokerTopology(settings, connections));
        context.getRegistry().bind(BrokerPublisher.CONNECTIONS, connections);
        BrokerPublisher publisher = new BrokerPublisher(template, settings);
        BrokerOutcomes outcomes = new BrokerOutcomes(publisher, views);
        EventRunner runner = new EventRunner(acceptance, ledger, inFlight, template, outcomes);
        ScheduledExecutorService ackTimer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(connections, "hms-acks");
        BrokerEventConsumer consumer = new BrokerEventConsumer(reader, runner, lanes, publisher, views, rejections, settings.prefetch(),
                settings.ackDelayMs(), ackTimer);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                connections.destroy();
            }
        });
        // before the routes stop (services stop after them): their consumers' channels close then
        SimpleEventNotifierSupport stopping = new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    consumer.finishAndAckAtOnce(settings.stopDrainMs());
                }
            }
        };
        stopping.setIgnoreExchangeEvents(true); // told of the context's events only, not of every exchange
        stopping.setIgnoreRouteEvents(true);
        stopping.setIgnoreServiceEvents(true);
        stopping.setIgnoreStepEvents(true);
        context.getManagementStrategy().addEventNotifier(stopping);
        context.addRoutes(new BrokerRoutes(settings, consumer));
        context.getRegistry().bind("hmsBrokerHealth", new BrokerHealthCheck(connections));
        return new BrokerWiring(new BrokerSubmission(publisher), outcomes);
    }
}
