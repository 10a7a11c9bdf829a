package org.hmssync.broker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * What a publisher put on a message besides its body: the AMQP properties (as the Camel headers
 * camel-spring-rabbitmq maps them to) and the publisher's own headers. A parked copy carries them
 * on, and outcomes and replies echo {@code correlation_id} and {@code message_id}.
 *
 * <p>Two properties are not carried onto a copy: {@code expiration} (a parked copy must not expire;
 * RabbitMQ's own dead-lettering drops it too) and {@code user_id} (the broker refuses a message
 * whose user_id is not the publishing connection's user).
 */
public record PublisherProperties(Map<String, Object> properties, Map<String, Object> headers) {

    /** The Camel headers that stand for AMQP properties a copy keeps (delivery mode: always persistent). */
    private static final List<String> KEPT = List.of(
            SpringRabbitMQConstants.CONTENT_TYPE,
            SpringRabbitMQConstants.CONTENT_ENCODING,
            SpringRabbitMQConstants.CORRELATION_ID,
            SpringRabbitMQConstants.REPLY_TO,
            SpringRabbitMQConstants.MESSAGE_ID,
            SpringRabbitMQConstants.APP_ID,
            SpringRabbitMQConstants.TYPE,
            SpringRabbitMQConstants.TIMESTAMP,
            SpringRabbitMQConstants.PRIORITY);

    /** Not from the broker (an event that came over HTTP, an operator's undo or replay). */
    public static final PublisherProperties NONE = new PublisherProperties(Map.of(), Map.of());

    public PublisherProperties {
        properties = Map.copyOf(properties);
        headers = Map.copyOf(headers);
    }

    /** From the message the consumer made of a delivery. */
    public static PublisherProperties of(Message message) {
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (KEPT.contains(name)) {
                properties.put(name, value);
            } else if (!isCamels(name)) {
                headers.put(name, value);
            }
        });
        return new PublisherProperties(properties, headers);
    }

    public String replyTo() {
        return text(SpringRabbitMQConstants.REPLY_TO);
    }

    public String correlationId() {
        return text(SpringRabbitMQConstants.CORRELATION_ID);
    }

    public String messageId() {
        return text(SpringRabbitMQConstants.MESSAGE_ID);
    }

    /** The Camel headers that give a copy of the message the same properties and headers, persistent. */
    public Map<String, Object> forCopy() {
        Map<String, Object> all = new LinkedHashMap<>(headers);
        all.putAll(properties);
        all.put(SpringRabbitMQConstants.DELIVERY_MODE, org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        return all;
    }

    private String text(String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }

    /** The component's own headers (delivery tag, routing key, ...), never the publisher's. */
    private static boolean isCamels(String name) {
        return name.startsWith("Camel") || name.startsWith("camel") || name.startsWith("org.apache.camel.");
    }
}
