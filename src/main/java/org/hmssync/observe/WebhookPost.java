package org.hmssync.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hmssync.ledger.FailureReasons;

/**
 * One POST of the exchange's body (an alert's JSON) to the webhook; any 2xx is delivered, anything
 * else throws for the route's redelivery. The JDK's client, not camel-http: the URL may carry a
 * token, so it must not become an endpoint URI (Camel names those in its messages and its
 * registry), and an alert call gets its own timeouts (camel-http 4.17 sets them per component,
 * shared with the adapters). Whatever this throws names the webhook by its host only.
 */
final class WebhookPost implements Processor {

    /** Why an attempt failed, in words that hold no URL. */
    static final class WebhookFailedException extends Exception {
        WebhookFailedException(String message) {
            super(message, null, false, false);
        }
    }

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    WebhookPost(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "hms-sync")
                .POST(HttpRequest.BodyPublishers.ofString(exchange.getMessage().getBody(String.class), StandardCharsets.UTF_8))
                .build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            throw new WebhookFailedException("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new WebhookFailedException(FailureReasons.of(e));
        }
        if (status < 200 || status > 299) {
            throw new WebhookFailedException("HTTP " + status);
        }
    }
}
