package org.hmssync.broker;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.hmssync.ledger.FailureReasons;

/**
 * Everything the hub sends to RabbitMQ, through camel-spring-rabbitmq producers. Events and
 * poison messages wait for the broker's confirm; outcomes and replies are fire-and-forget.
 */
public final class BrokerPublisher {

    /** The AMQP header that says why a message was dead-lettered (also sent as {@value #REASON_SHORT}). */
    public static final String REASON = "x-hms-reason";
    public static final String REASON_SHORT = "reason";
    public static final String ORIGINAL_ROUTING_KEY = "x-hms-original-routing-key";
    /**
     * On outcomes and replies: which event they are about, for a headers exchange or a client to
     * filter on. Not {@code x-}: a headers exchange leaves binding arguments that start with
     * {@code x-} out of its match.
     */
    public static final String EVENT_ID = "hms_event_id";
    public static final String EVENT_TYPE = "hms_event_type";
    public static final String CONNECTIONS = "hmsRabbitConnections";

    private final ProducerTemplate template;
    /** Endpoints resolved once: normalising a URI on every send costs more than the send. */
    private final java.util.Map<String, org.apache.camel.Endpoint> endpoints = new java.util.concurrent.ConcurrentHashMap<>();

    public BrokerPublisher(ProducerTemplate template) {
        this.template = template;
    }

    /** {@code POST /events} with the broker on: returns only once the broker confirmed. */
    public void publishEvent(String type, byte[] body) {
        template.sendBodyAndHeaders(endpoint(confirmed("{{hms.rabbitmq.exchange}}", type)), body, json(Map.of()));
    }

    /**
     * A message that is not a valid event (or that the hub could not process): to the dead-letter
     * queue, confirmed, with a short reason, and with the publisher's properties and headers as
     * they came, so whoever looks at it (or shovels it back) still has them.
     */
    public void park(byte[] body, String reason, String originalRoutingKey, PublisherProperties origin) {
        Map<String, Object> headers = new HashMap<>(origin.forCopy());
        String bounded = FailureReasons.bounded(reason);
        headers.put(REASON, bounded);
        headers.put(REASON_SHORT, bounded);
        if (originalRoutingKey != null) {
            headers.put(ORIGINAL_ROUTING_KEY, originalRoutingKey);
        }
        template.sendBodyAndHeaders(endpoint(confirmed("{{hms.rabbitmq.dead-letter-exchange}}", "{{hms.rabbitmq.dead-letter-queue}}")), body, headers);
    }

    /**
     * Cluster mode: a valid event from {@code hms.sync.events} on to its partition's queue, with the
     * publisher's properties and headers, returning once the broker confirmed it.
     */
    public void forward(byte[] body, int partition, PublisherProperties origin) {
        Map<String, Object> headers = new HashMap<>(origin.forCopy());
        // only a hub sends an operator's command: a publisher's header of that name must not turn its event into one
        headers.keySet().removeIf(name -> name.startsWith(OperatorCommands.HEADER));
        template.sendBodyAndHeaders(endpoint(confirmed("{{hms.rabbitmq.exchange}}.partitions", String.valueOf(partition))), body, headers);
    }

    /**
     * Cluster mode: an operator's command to the hub that owns the partition, which answers on a
     * direct reply-to; returns its answer, or throws when none came within {@code timeoutMs}.
     */
    public String ask(int partition, Map<String, Object> headers, long timeoutMs) {
        String uri = plain("{{hms.rabbitmq.exchange}}.partitions", String.valueOf(partition))
                + "&confirm=disabled&replyTimeout=" + timeoutMs + "&exchangePattern=InOut";
        return template.requestBodyAndHeaders(endpoint(uri), "{}", json(headers), String.class);
    }

    /** A final status to {@code hms.sync.outcomes}, routing key = status. */
    public void outcome(String status, String view, String eventId, String eventType, PublisherProperties origin) {
        template.sendBodyAndHeaders(endpoint(unconfirmed("{{hms.rabbitmq.outcomes-exchange}}", status)), view,
                json(about(eventId, eventType, origin)));
    }

    /**
     * An alert to {@code hms.sync.outcomes} with its own routing key ({@code alert.<kind>}), the
     * event's id as a header; a notice like an outcome, not confirmed.
     */
    public void alert(String routingKey, String eventId, String body) {
        Map<String, Object> headers = new HashMap<>();
        if (eventId != null) {
            headers.put(EVENT_ID, eventId);
        }
        template.sendBodyAndHeaders(endpoint(unconfirmed("{{hms.rabbitmq.outcomes-exchange}}", routingKey)), body, json(headers));
    }

    /** An answer to the publisher's {@code reply_to}, on the default exchange. */
    public void reply(String view, String eventId, String eventType, PublisherProperties origin) {
        Map<String, Object> headers = about(eventId, eventType, origin);
        headers.put(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, origin.replyTo());
        template.sendBodyAndHeaders(endpoint(unconfirmed(SpringRabbitMQConstants.DEFAULT_EXCHANGE_NAME, "reply")), view, json(headers));
    }

    /**
     * What an outcome or a reply says about its event besides the body: the publisher's
     * correlation_id and message_id (none for an event that did not come from the broker) and the
     * event's id and type as headers (each only when known).
     */
    private static Map<String, Object> about(String eventId, String eventType, PublisherProperties origin) {
        Map<String, Object> headers = new HashMap<>();
        if (origin.correlationId() != null) {
            headers.put(SpringRabbitMQConstants.CORRELATION_ID, origin.correlationId());
        }
        if (origin.messageId() != null) {
            headers.put(SpringRabbitMQConstants.MESSAGE_ID, origin.messageId());
        }
        if (eventId != null) {
            headers.put(EVENT_ID, eventId);
        }
        if (eventType != null) {
            headers.put(EVENT_TYPE, eventType);
        }
        return headers;
    }

    private org.apache.camel.Endpoint endpoint(String uri) {
        return endpoints.computeIfAbsent(uri, u -> template.getCamelContext().getEndpoint(u));
    }

    private static Map<String, Object> json(Map<String, Object> headers) {
        Map<String, Object> all = new HashMap<>(headers);
        all.put(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        return all;
    }

    /** The exchange may be a {@code {{hms.rabbitmq.*}}} placeholder; the routing key is the message's own. */
    private static String confirmed(String exchange, String routingKey) {
        return plain(exchange, routingKey) + "&confirm=enabled&confirmTimeout={{hms.rabbitmq.confirm-timeout-ms}}";
    }

    /**
     * The factory turns confirms on for every channel, and "auto" would then wait for each one:
     * an outcome or a reply is a notice (the ledger holds the truth), so it does not wait.
     */
    private static String unconfirmed(String exchange, String routingKey) {
        return plain(exchange, routingKey) + "&confirm=disabled";
    }

    private static String plain(String exchange, String routingKey) {
        return "spring-rabbitmq:" + exchange + "?routingKey=" + routingKey + "&connectionFactory=#" + CONNECTIONS;
    }
}
