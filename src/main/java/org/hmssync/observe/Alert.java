package org.hmssync.observe;

/**
 * One alert as it leaves the hub: its kind ({@code event_parked}, {@code circuit_opened}, ...), the
 * event it is about (null for a system's), what it is about in words ("event e-1", "system
 * dashboard") and its JSON document, the same for the webhook, RabbitMQ and anyone else.
 */
public record Alert(String kind, String eventId, String subject, String json) {

    /** Its routing key on {@code hms.sync.outcomes}: {@code alert.<kind>}, apart from the statuses. */
    public String routingKey() {
        return "alert." + kind;
    }
}
