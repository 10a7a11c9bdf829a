package org.hmssync.observe;

/**
 * One alert as it leaves the hub: its kind ({@code event_parked}, ...), what it is about (the
 * event's id) and its JSON document, the same for the webhook, RabbitMQ and anyone else.
 */
public record Alert(String kind, String eventId, String json) {

    /** Its routing key on {@code hms.sync.outcomes}: {@code alert.<kind>}, apart from the statuses. */
    public String routingKey() {
        return "alert." + kind;
    }
}
