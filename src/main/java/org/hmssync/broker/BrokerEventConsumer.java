package org.hmssync.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.FailureReasons;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.coordinator.InFlightEvents;
import org.hmssync.coordinator.OutcomeAnnouncer;
import org.hmssync.event.EventReader;
import org.hmssync.event.InvalidEventException;
import org.hmssync.event.SyncEvent;
import org.hmssync.ingress.EventAcceptance;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message from {@code hms.sync.events}, acknowledged by hand and only at the end: after the
 * event's final status is on disk (a valid event), or after the broker confirmed it in the
 * dead-letter queue (anything else). A hub that dies before that gets the message again, and the
 * ledger, not luck, decides what is left to do.
 */
public final class BrokerEventConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerEventConsumer.class);
    /** How long a duplicate delivery waits for the run of its id that is under way. */
    private static final long WAIT_FOR_RUN_MS = 60_000;

    private final EventReader reader;
    private final EventAcceptance acceptance;
    private final SyncLedger ledger;
    private final InFlightEvents inFlight;
    private final ProducerTemplate template;
    private final BrokerPublisher publisher;
    private final OutcomeAnnouncer outcomes;
    private final FinalViews views;

    public BrokerEventConsumer(EventReader reader, EventAcceptance acceptance, SyncLedger ledger, InFlightEvents inFlight,
                               ProducerTemplate template, BrokerPublisher publisher, OutcomeAnnouncer outcomes, FinalViews views) {
        this.reader = reader;
        this.acceptance = acceptance;
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.template = template;
        this.publisher = publisher;
        this.outcomes = outcomes;
        this.views = views;
    }

    public void consume(Exchange exchange) throws IOException {
        // The delivery tag belongs to this channel. Spring's channel proxy would move to a new
        // channel after a reconnect, where the tag means nothing: ack on the one it came on.
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        if (channel instanceof org.springframework.amqp.rabbit.connection.ChannelProxy proxy) {
            channel = proxy.getTargetChannel();
        }
        long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String routingKey = exchange.getMessage().getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
        try {
            SyncEvent event;
            try {
                event = reader.read(body);
            } catch (InvalidEventException e) {
                publisher.park(body == null ? new byte[0] : body, e.getMessage(), routingKey);
                LOG.warn("message with routing key {} is not a valid event, parked in the DLQ: {}", routingKey, e.getMessage());
                ack(channel, tag);
                return;
            }
            runToFinal(event);
            if (!channel.isOpen()) {
                LOG.info("event {} is final; its channel closed meanwhile, so the broker redelivers and it is answered then", event.id());
                return;
            }
            String replyTo = exchange.getMessage().getHeader(SpringRabbitMQConstants.REPLY_TO, String.class);
            if (replyTo != null && !replyTo.isBlank()) {
                publisher.reply(replyTo, exchange.getMessage().getHeader(SpringRabbitMQConstants.CORRELATION_ID, String.class),
                        views.json(event.id()));
            }
            ack(channel, tag);
        } catch (RuntimeException e) {
            giveUp(channel, tag, body, routingKey, e);
        }
    }

    /** A channel that closed under us is no failure of the event: the broker redelivers, the ledger answers. */
    private static void ack(Channel channel, long tag) {
        try {
            channel.basicAck(tag, false);
        } catch (IOException | com.rabbitmq.client.ShutdownSignalException e) {
            LOG.info("could not acknowledge delivery {} (channel closed); the broker will redeliver it", tag);
        }
    }

    /** Runs the event unless the ledger already has it; waits for a run of the same id under way. */
    private void runToFinal(SyncEvent event) {
        String id = event.id();
        if (acceptance.accept(event)) {
            inFlight.tryStart(id);
            run(id, HmsHeaders.RUN_SYNC);
            return;
        }
        EventRecord record = ledger.find(id).orElseThrow();
        if (record.status().isFinal()) {
            return;
        }
        if (!inFlight.tryStart(id, WAIT_FOR_RUN_MS)) {
            throw new IllegalStateException("event " + id + " is still being processed after " + WAIT_FOR_RUN_MS + " ms");
        }
        if (record.status().isFinal()) {
            inFlight.finish(id);
            return;
        }
        LOG.info("event {} redelivered while {}: finishing it", id, record.status().wire());
        run(id, HmsHeaders.RUN_RECOVER);
    }

    private void run(String id, String kind) {
        Exchange done = template.send(CoordinatorRoutes.RUN, e -> {
            e.getMessage().setBody(acceptance.text(id));
            e.getMessage().setHeaders(Map.of(HmsHeaders.ROLLBACK_TOKEN, id, HmsHeaders.RUN, kind));
        });
        if (done.getException() != null) {
            throw new IllegalStateException("event " + id + " did not reach a final status", done.getException());
        }
        outcomes.announce(done);
    }

    /**
     * Something failed that is not the event's fault (the disk, the broker). The message is parked
     * with the reason rather than requeued in a loop; if even that fails it goes back to the queue.
     */
    private void giveUp(Channel channel, long tag, byte[] body, String routingKey, RuntimeException failure) throws IOException {
        LOG.error("message with routing key {} could not be processed: {}", routingKey, FailureReasons.of(failure));
        try {
            publisher.park(body == null ? new byte[0] : body, "hub error: " + FailureReasons.of(failure), routingKey);
            ack(channel, tag);
        } catch (RuntimeException parkFailed) {
            if (channel.isOpen()) {
                channel.basicNack(tag, false, true);
            }
        }
    }
}
