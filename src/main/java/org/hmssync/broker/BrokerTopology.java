package org.hmssync.broker;

import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub declares its own topology, every time it (re)connects, so a broker that lost it or a
 * hub that started while the broker was down ends up with the same durable layout:
 * {@code hms.sync} (topic) → {@code hms.sync.events} (bound with #), {@code hms.sync.dlx} →
 * {@code hms.sync.dlq}, and the topic exchange {@code hms.sync.outcomes}.
 */
public final class BrokerTopology implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTopology.class);

    private final BrokerSettings settings;
    private final RabbitAdmin admin;

    public BrokerTopology(BrokerSettings settings, CachingConnectionFactory connections) {
        this.settings = settings;
        this.admin = new RabbitAdmin(connections);
    }

    @Override
    public void onCreate(org.springframework.amqp.rabbit.connection.Connection connection) {
        try {
            declare();
        } catch (RuntimeException e) {
            LOG.error("could not declare the RabbitMQ topology: {}", e.getMessage());
        }
    }

    /** Consumers on {@code queue} now, as the broker counts them (0 for a queue it does not have). */
    public int consumersOf(String queue) {
        var info = admin.getQueueInfo(queue);
        return info == null ? 0 : info.getConsumerCount();
    }

    public void declare() {
        TopicExchange events = new TopicExchange(settings.exchange(), true, false);
        Queue queue = queue(settings.queue());
        DirectExchange dlx = new DirectExchange(settings.deadLetterExchange(), true, false);
        Queue dlq = queue(settings.deadLetterQueue());
        TopicExchange outcomes = new TopicExchange(settings.outcomes(), true, false);
        admin.declareExchange(events);
        admin.declareQueue(queue);
        admin.declareBinding(bind(queue, events, "#"));
        admin.declareExchange(dlx);
        admin.declareQueue(dlq);
        admin.declareBinding(new Binding(dlq.getName(), Binding.DestinationType.QUEUE, dlx.getName(), dlq.getName(), Map.of()));
        admin.declareExchange(outcomes);
        if (settings.clustered()) {
            DirectExchange partitions = new DirectExchange(settings.partitionExchange(), true, false);
            admin.declareExchange(partitions);
            for (int p = 0; p < settings.partitions(); p++) {
                Queue part = queue(settings.partitionQueue(p));
                admin.declareQueue(part);
                admin.declareBinding(new Binding(part.getName(), Binding.DestinationType.QUEUE, partitions.getName(), String.valueOf(p), Map.of()));
            }
            LOG.info("RabbitMQ cluster topology declared: {} -> {} partition queues {}.p0..", partitions.getName(), settings.partitions(),
                    settings.queue());
        }
        LOG.info("RabbitMQ topology declared: {} -> {} ({}), {} -> {}, {}", events.getName(), queue.getName(),
                settings.queueType(), dlx.getName(), dlq.getName(), outcomes.getName());
    }

    private Queue queue(String name) {
        return QueueBuilder.durable(name).withArgument("x-queue-type", settings.queueType()).build();
    }

    private static Binding bind(Queue queue, TopicExchange exchange, String key) {
        return BindingBuilder.bind(queue).to(exchange).with(key);
    }
}
