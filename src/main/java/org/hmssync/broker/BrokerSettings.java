package org.hmssync.broker;

import java.util.Optional;
import java.util.function.Function;

/**
 * RabbitMQ as configured under {@code hms.rabbitmq.*}. The names default to contract section 4;
 * tests give each run names of its own.
 */
public record BrokerSettings(String uri, String exchange, String queue, String deadLetterExchange,
                             String deadLetterQueue, String outcomes, String queueType, int prefetch,
                             int consumers, long confirmTimeoutMs) {

    public static Optional<BrokerSettings> from(Function<String, Optional<String>> props) {
        Optional<String> uri = props.apply("hms.rabbitmq.uri").filter(s -> !s.isBlank());
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        String type = props.apply("hms.rabbitmq.queue-type").orElse("quorum");
        if (!type.equals("quorum") && !type.equals("classic")) {
            throw new IllegalArgumentException("HMS_RABBITMQ_QUEUE_TYPE must be quorum or classic, was " + type);
        }
        return Optional.of(new BrokerSettings(uri.get(),
                props.apply("hms.rabbitmq.exchange").orElse("hms.sync"),
                props.apply("hms.rabbitmq.queue").orElse("hms.sync.events"),
                props.apply("hms.rabbitmq.dead-letter-exchange").orElse("hms.sync.dlx"),
                props.apply("hms.rabbitmq.dead-letter-queue").orElse("hms.sync.dlq"),
                props.apply("hms.rabbitmq.outcomes-exchange").orElse("hms.sync.outcomes"),
                type,
                Integer.parseInt(props.apply("hms.rabbitmq.prefetch").orElse("500")),
                Integer.parseInt(props.apply("hms.rabbitmq.consumers").orElse("1")),
                Long.parseLong(props.apply("hms.rabbitmq.confirm-timeout-ms").orElse("5000"))));
    }
}
