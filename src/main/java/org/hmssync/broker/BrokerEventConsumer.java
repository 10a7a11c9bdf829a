package org.hmssync.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.WeakHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.hmssync.runs.EventRunner;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.runs.KeyedLanes;
import org.hmssync.event.EventReader;
import org.hmssync.event.InvalidEventException;
import org.hmssync.event.SyncEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message from {@code hms.sync.events}, acknowledged by hand and only at the end: after the
 * event's final status is on disk (a valid event), or after the broker confirmed it in the
 * dead-letter queue (anything else). A hub that dies before that gets the message again, and the
 * ledger, not luck, decides what is left to do.
 * <p>
 * In cluster mode the same consumer reads the intake ({@link #forwardTo}: each valid event goes on
 * to its partition queue, acknowledged once the broker confirmed it there) and the partition queues
 * ({@link #partitions}: events as above, but only those this hub may run, and operators' commands).
 */
public final class BrokerEventConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerEventConsumer.class);

    private final EventReader reader;
    private final EventRunner runner;
    private final KeyedLanes lanes;
    private final BrokerPublisher publisher;
    private final FinalViews views;
    private final Rejections rejections;

    /** Per channel; a channel that closed (a reconnect) is forgotten with its deliveries. */
    private final Map<Channel, DeliveryAcks> acks = Collections.synchronizedMap(new WeakHashMap<>());
    private final int maxHeldAcks;
    private final long ackDelayMs;
    private final ScheduledExecutorService ackTimer;
    /** Guarded by {@code acks}. */
    private boolean stopping;
    /** Cluster mode, on {@code hms.sync.events}: each valid event goes on to its partition instead of a lane here. */
    private volatile ToIntFunction<SyncEvent> forwardTo;
    /** Cluster mode, on a partition queue: which events run here, and operators' commands. */
    private volatile PartitionGuard guard;
    private volatile OperatorCommands commands;

    /** This consumer takes {@code hms.sync.events} apart by partition (the cluster's intake): events are forwarded, not run. */
    public void forwardTo(ToIntFunction<SyncEvent> partitionOf) {
        this.forwardTo = partitionOf;
    }

    /** This consumer reads partition queues (cluster mode): it runs what {@code guard} lets through and answers {@code commands}. */
    public void partitions(PartitionGuard guard, OperatorCommands commands) {
        this.guard = guard;
        this.commands = commands;
    }

    public BrokerEventConsumer(EventReader reader, EventRunner runner, KeyedLanes lanes, BrokerPublisher publisher, FinalViews views,
                               Rejections rejections, int prefetch, long ackDelayMs, ScheduledExecutorService ackTimer) {
        this.rejections = rejections;
        this.maxHeldAcks = Math.max(1, prefetch / 8);
        this.ackDelayMs = ackDelayMs;
        this.ackTimer = ackTimer;
        this.reader = reader;
        this.runner = runner;
        this.lanes = lanes;
        this.publisher = publisher;
        this.views = views;
    }

    /**
     * On the listener thread: a poison message is parked, answered (when it has a reply_to) and
     * acknowledged at once; a valid event joins its key's lane (so one claimant's events run in
     * publish order) and the listener takes the next message. The lane acknowledges it once it is final.
     */
    public void consume(Exchange exchange) throws IOException {
        // The delivery tag belongs to this channel. Spring's channel proxy would move to a new
        // channel after a reconnect, where the tag means nothing: ack on the one it came on.
        Channel proxied = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Channel channel = proxied instanceof org.springframework.amqp.rabbit.connection.ChannelProxy proxy ? proxy.getTargetChannel() : proxied;
        long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String routingKey = exchange.getMessage().getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
        PublisherProperties origin = PublisherProperties.of(exchange.getMessage());
        DeliveryAcks deliveries;
        synchronized (acks) {
            deliveries = acks.computeIfAbsent(channel, c -> new DeliveryAcks(c, maxHeldAcks, stopping ? 0 : ackDelayMs, ackTimer));
        }
        deliveries.delivered(tag);
        Object command = exchange.getMessage().getHeader(OperatorCommands.HEADER);
        if (command != null && commands != null) {
            answerCommand(exchange, command.toString(), deliveries, tag, origin);
            return;
        }
        SyncEvent event;
        try {
            event = reader.read(body);
        } catch (InvalidEventException e) {
            String reason = FailureReasons.bounded(e.getMessage());
            try {
                publisher.park(body == null ? new byte[0] : body, reason, routingKey, origin);
                LOG.warn("message with routing key {} is not a valid event, parked in the DLQ: {}", routingKey, reason);
            } catch (RuntimeException parkFailed) {
                giveUp(deliveries, tag, body, routingKey, origin, parkFailed);
                return;
            }
            reject(body, reason, e, origin);
            ack(deliveries, tag);
            return;
        }
        ToIntFunction<SyncEvent> forward = forwardTo;
        if (forward != null) {
            forwardInOrder(event, body, forward.applyAsInt(event), origin, deliveries, tag);
            return;
        }
        PartitionGuard partitions = guard;
        if (partitions == null) {
            lanes.submit(KeyedLanes.keyOf(event), () -> complete(deliveries, tag, body, routingKey, event, origin));
            return;
        }
        Runnable finished = partitions.taken(event);
        try {
            lanes.submit(KeyedLanes.keyOf(event), () -> {
                CompletableFuture<Void> held = null;
                try {
                    held = complete(deliveries, tag, body, routingKey, event, origin);
                    return held;
                } finally {
                    if (held == null) {
                        finished.run();
                    } else {
                        held.whenComplete((ignored, failure) -> finished.run());
                    }
                }
            });
        } catch (RuntimeException e) {
            finished.run();
            throw e;
        }
    }

    /**
     * The intake's one step: on to the partition, confirmed, then acknowledged. A forward that fails is
     * tried again here, before the next message, for as long as the hub runs: a message put back in
     * the queue would come after those already taken, out of publish order.
     */
    private void forwardInOrder(SyncEvent event, byte[] body, int partition, PublisherProperties origin, DeliveryAcks deliveries, long tag) {
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.forward(body, partition, origin);
                ack(deliveries, tag);
                return;
            } catch (RuntimeException e) {
                if (!deliveries.isOpen()) {
                    LOG.warn("event {} not forwarded and its channel closed: the broker gives it to the next intake", event.id());
                    return;
                }
                LOG.warn("event {} could not be forwarded to partition {} (attempt {}), trying again in a second: {}", event.id(), partition,
                        attempt, FailureReasons.of(e));
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;   // stopping: unacknowledged, it comes back to the next intake
                }
            }
        }
    }

    private void answerCommand(Exchange exchange, String action, DeliveryAcks deliveries, long tag, PublisherProperties origin) {
        var message = exchange.getMessage();
        String answer;
        try {
            Object wait = message.getHeader(OperatorCommands.WAIT_MS);
            answer = commands.answer(action, message.getHeader(OperatorCommands.EVENT_ID, String.class),
                    wait == null ? 0 : Long.parseLong(wait.toString()), message.getHeader(OperatorCommands.PARKED_AT, String.class));
        } catch (RuntimeException e) {
            answer = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("answer", "failed").put("why", FailureReasons.of(e)).toString();
        }
        try {
            if (hasReplyTo(origin)) {
                publisher.reply(answer, null, null, origin);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not answer an operator's {} command: {}", action, FailureReasons.of(e));
        }
        ack(deliveries, tag);
    }

    /** A request/reply publisher hears why its message was refused instead of waiting for ever. */
    private void reject(byte[] body, String reason, InvalidEventException e, PublisherProperties origin) {
        if (!hasReplyTo(origin)) {
            return;
        }
        try {
            publisher.reply(rejections.json(body, reason, e.violations()), null, null, origin);
        } catch (RuntimeException replyFailed) {
            // the message is parked with its reason either way; the reply is a courtesy
            LOG.warn("could not tell {} why its message was refused: {}", origin.replyTo(), FailureReasons.of(replyFailed));
        }
    }

    /**
     * On the event's lane. When another run holds the event (a recovery or an operator's run queued
     * in this lane), the lane does not wait for it: the message is answered once that run ends.
     */
    private CompletableFuture<Void> complete(DeliveryAcks deliveries, long tag, byte[] body, String routingKey, SyncEvent event,
                          PublisherProperties origin) {
        PartitionGuard partitions = guard;
        if (partitions != null && !partitions.stillOurs(event)) {
            LOG.info("event {} waited in its lane while its partition moved to another hub: left to that hub", event.id());
            return null;   // not acknowledged: the broker gives it to the partition's new owner
        }
        EventRunner.Progress progress;
        try {
            progress = runner.runToFinal(event, origin);
        } catch (RuntimeException e) {
            if (e instanceof org.hmssync.ledger.AcceptanceContendedException) {
                // another hub is accepting the same id right now: back in the queue, a second later
                LOG.info("{}", e.getMessage());
                ackTimer.schedule(() -> requeueQuietly(deliveries, tag), 1, java.util.concurrent.TimeUnit.SECONDS);
                return null;
            }
            giveUpQuietly(deliveries, tag, body, routingKey, origin, e);
            return null;
        }
        CompletableFuture<Void> done = progress.finished();
        if (done.isDone()) {
            answer(deliveries, tag, body, routingKey, event, origin);
            return null;
        }
        done.whenComplete((ignored, failure) -> answer(deliveries, tag, body, routingKey, event, origin));
        // held for a system: the lane waits for it (claimant order) and the message stays unacknowledged
        return progress.ownRun() ? done : null;
    }

    /** The event is final (or its run gave up): reply where asked, then acknowledge. */
    private void answer(DeliveryAcks deliveries, long tag, byte[] body, String routingKey, SyncEvent event, PublisherProperties origin) {
        try {
            if (!deliveries.isOpen()) {
                LOG.info("event {} is final; its channel closed meanwhile, so the broker redelivers and it is answered then", event.id());
                return;
            }
            if (hasReplyTo(origin)) {
                var view = views.view(event.id());
                publisher.reply(views.json(view), event.id(), FinalViews.type(view), origin);
            }
            ack(deliveries, tag);
        } catch (RuntimeException e) {
            giveUpQuietly(deliveries, tag, body, routingKey, origin, e);
        }
    }

    private void giveUpQuietly(DeliveryAcks deliveries, long tag, byte[] body, String routingKey, PublisherProperties origin,
                               RuntimeException failure) {
        try {
            giveUp(deliveries, tag, body, routingKey, origin, failure);
        } catch (IOException nackFailed) {
            LOG.warn("could not return delivery {} to the queue: {}", tag, nackFailed.getMessage());
        }
    }

    private static void requeueQuietly(DeliveryAcks deliveries, long tag) {
        try {
            deliveries.requeue(tag);
        } catch (IOException | RuntimeException e) {
            LOG.info("could not return delivery {} to the queue (channel closed); the broker redelivers it", tag);
        }
    }

    private static boolean hasReplyTo(PublisherProperties origin) {
        return origin.replyTo() != null && !origin.replyTo().isBlank();
    }

    /**
     * The hub is stopping, its consumers' channels not yet closed: the events the lanes are
     * finishing (most often redeliveries answered from the ledger) get up to {@code drainMs} to
     * finish, then what waits for its batch is acknowledged, and every later ack goes out at once.
     */
    public void finishAndAckAtOnce(long drainMs) {
        try {
            if (!lanes.awaitIdle(drainMs)) {
                LOG.info("stopping with events still running; the broker redelivers what is not acknowledged");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<DeliveryAcks> all;
        synchronized (acks) {
            stopping = true;
            all = List.copyOf(acks.values());
        }
        all.forEach(DeliveryAcks::ackAtOnce);
    }

    /** A channel that closed under us is no failure of the event: the broker redelivers, the ledger answers. */
    private static void ack(DeliveryAcks deliveries, long tag) {
        try {
            deliveries.finished(tag);
        } catch (IOException | com.rabbitmq.client.ShutdownSignalException e) {
            LOG.info("could not acknowledge delivery {} (channel closed); the broker will redeliver it", tag);
        }
    }

    /**
     * Something failed that is not the event's fault (the disk, the broker). The message is parked
     * with the reason rather than requeued in a loop; if even that fails it goes back to the queue.
     */
    private void giveUp(DeliveryAcks deliveries, long tag, byte[] body, String routingKey, PublisherProperties origin,
                        RuntimeException failure) throws IOException {
        LOG.error("message with routing key {} could not be processed: {}", routingKey, FailureReasons.of(failure));
        try {
            publisher.park(body == null ? new byte[0] : body, "hub error: " + FailureReasons.of(failure), routingKey, origin);
            ack(deliveries, tag);
        } catch (RuntimeException parkFailed) {
            deliveries.requeue(tag);
        }
    }
}
