package org.hmssync.broker;

import java.util.Optional;
import org.hmssync.settings.HubSettings;

/**
 * RabbitMQ as configured under {@code hms.rabbitmq.*} (application.properties: the names of
 * contract section 4); tests give each run names of its own.
 */
public record BrokerSettings(String uri, String exchange, String queue, String deadLetterExchange,
                             String deadLetterQueue, String outcomes, String queueType, int prefetch,
                             int consumers, long confirmTimeoutMs, long ackDelayMs, long stopDrainMs, int partitions) {

    /** Cluster mode: the direct exchange that routes each event to its claimant's partition queue. */
    public String partitionExchange() {
        return exchange + ".partitions";
    }

    /** Cluster mode: partition {@code p}'s queue (routing key {@code p}). */
    public String partitionQueue(int p) {
        return queue + ".p" + p;
    }

    public boolean clustered() {
        return partitions > 0;
    }

    public static Optional<BrokerSettings> from(HubSettings settings) {
        Optional<String> uri = settings.optional("hms.rabbitmq.uri");
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        String type = settings.required("hms.rabbitmq.queue-type");
        if (!type.equals("quorum") && !type.equals("classic")) {
            throw new IllegalArgumentException("HMS_RABBITMQ_QUEUE_TYPE must be quorum or classic, was " + type);
        }
        return Optional.of(new BrokerSettings(uri.get(),
                settings.required("hms.rabbitmq.exchange"),
                settings.required("hms.rabbitmq.queue"),
                settings.required("hms.rabbitmq.dead-letter-exchange"),
                settings.required("hms.rabbitmq.dead-letter-queue"),
                settings.required("hms.rabbitmq.outcomes-exchange"),
                type,
                settings.requiredInt("hms.rabbitmq.prefetch"),
                settings.requiredInt("hms.rabbitmq.consumers"),
                settings.requiredLong("hms.rabbitmq.confirm-timeout-ms"),
                settings.requiredLong("hms.rabbitmq.ack-delay-ms"),
                settings.requiredLong("hms.rabbitmq.stop-drain-ms"),
                // cluster mode (a shared ledger): events travel on partition queues, one claimant's always on the same one
                settings.optional("hms.ledger.url").isPresent() ? settings.requiredInt("hms.cluster.partitions") : 0));
    }
}
