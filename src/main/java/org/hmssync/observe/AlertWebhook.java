package org.hmssync.observe;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.ledger.FailureReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Alerts to {@code HMS_ALERT_WEBHOOK_URL}, off the event's thread. An alert is queued at once (a
 * full queue drops its oldest, with a WARN and {@code sync_alerts_total{outcome="dropped"}}); one
 * thread of Camel's takes them in order through {@link AlertRoutes#WEBHOOK}, retries included.
 * A webhook that hangs or fails costs the events nothing. Logs name the webhook by its host only.
 */
public final class AlertWebhook implements Consumer<Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);
    /** How often the idle thread looks whether the hub is stopping. */
    private static final long IDLE_CHECK_MS = 500;

    private final AlertQueue queue;
    private final int capacity;
    private final AlertCounts counts;
    private final ProducerTemplate template;
    private final String host;
    private final int attempts;
    private volatile boolean running = true;

    public AlertWebhook(int capacity, AlertCounts counts, ProducerTemplate template, String host, int attempts) {
        this.queue = new AlertQueue(capacity);
        this.capacity = capacity;
        this.counts = counts;
        this.template = template;
        this.host = host;
        this.attempts = attempts;
    }

    /** Queues the alert and returns at once. */
    @Override
    public void accept(Alert alert) {
        queue.offer(alert).ifPresent(dropped -> {
            counts.add(dropped.kind(), AlertCounts.DROPPED);
            LOG.warn("alert queue for the webhook at {} is full ({}): dropped the oldest, {} of {}", host, capacity,
                    dropped.kind(), dropped.subject());
        });
    }

    /** Starts delivering on {@code thread} (a single thread of Camel's), once the route runs. */
    public void start(ExecutorService thread) {
        thread.submit(this::deliverAll);
    }

    /** The hub is stopping: no new attempt starts; what is still queued is not sent (each was logged when raised). */
    public void stop() {
        running = false;
        int left = queue.size();
        if (left > 0) {
            LOG.warn("{} alert(s) not sent to the webhook at {}: the hub is stopping", left, host);
        }
    }

    private void deliverAll() {
        Endpoint webhook = template.getCamelContext().getEndpoint(AlertRoutes.WEBHOOK);
        while (running) {
            Alert alert;
            try {
                alert = queue.poll(IDLE_CHECK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (alert == null) {
                continue;
            }
            try {
                deliver(webhook, alert);
            } catch (RuntimeException e) {
                // the thread outlives any one alert
                LOG.warn("alert {} of {} not delivered to the webhook at {}: {}", alert.kind(), alert.subject(), host,
                        FailureReasons.of(e));
            }
        }
    }

    private void deliver(Endpoint webhook, Alert alert) {
        if (alert.eventId() != null) {
            MDC.put("event_id", alert.eventId());
        }
        try {
            Exchange done = template.send(webhook, e -> e.getMessage().setBody(alert.json()));
            if (done.getException() == null) {
                counts.add(alert.kind(), AlertCounts.SENT);
                LOG.debug("alert {} of {} sent to the webhook at {}", alert.kind(), alert.subject(), host);
            } else if (!running) {
                LOG.warn("alert {} of {} not delivered to the webhook at {}: the hub is stopping", alert.kind(), alert.subject(), host);
            } else {
                counts.add(alert.kind(), AlertCounts.FAILED);
                LOG.warn("alert {} of {} not delivered to the webhook at {} ({} attempts): {}", alert.kind(), alert.subject(), host,
                        attempts, FailureReasons.of(done.getException()));
            }
        } finally {
            MDC.remove("event_id");
        }
    }
}
