package org.hmssync.observe;

import java.net.URI;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.hmssync.settings.RetrySettings;

/**
 * {@code hms-alert-webhook}: one alert to the webhook. Retries have one owner, Camel's redelivery
 * here, with exponential back-off and a bounded number of attempts; the caller (the alert thread,
 * never an event's) sees the last failure. Camel logs nothing of it: the caller logs one line
 * that names the webhook by its host.
 */
public final class AlertRoutes extends RouteBuilder {

    public static final String WEBHOOK = "direct:hms-alert-webhook";
    /** Its route configuration: Camel's default error handler, under which the route's own redelivery runs. */
    public static final String ERRORS = "hms-errors-alerts";

    private final RetrySettings retry;
    private final WebhookPost post;

    public AlertRoutes(URI url, Duration timeout, RetrySettings retry) {
        this.retry = retry;
        this.post = new WebhookPost(url, timeout);
    }

    @Override
    public void configure() {
        from(WEBHOOK).routeId("hms-alert-webhook")
            .routeConfigurationId(ERRORS)
            .onException(Exception.class)
                .maximumRedeliveries(retry.maxAttempts() - 1)
                .redeliveryDelay(retry.firstDelayMs())
                .useExponentialBackOff().backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelayMs())
                .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logExhaustedMessageHistory(false)
            .end()
            .process(post);
    }
}
