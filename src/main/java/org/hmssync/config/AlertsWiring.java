package org.hmssync.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.hmssync.circuits.SystemCircuits;
import org.hmssync.observe.Alert;
import org.hmssync.observe.AlertCounts;
import org.hmssync.observe.AlertRoutes;
import org.hmssync.observe.AlertWebhook;
import org.hmssync.observe.HubAlerts;
import org.hmssync.settings.HubSettings;
import org.hmssync.settings.RetrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told when an event is parked: the log always, the webhook when {@code hms.alert.webhook-url}
 * is set, and RabbitMQ's outcomes exchange when the broker is on. Returns the counts for the metrics.
 */
final class AlertsWiring {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsWiring.class);

    private AlertsWiring() {
    }

    static AlertCounts install(CamelContext context, HubSettings settings, Stores stores, ProducerTemplate template,
                               Optional<BrokerWiring> broker, SystemCircuits circuits) throws Exception {
        AlertCounts counts = new AlertCounts(HubAlerts.KINDS);
        Map<String, Consumer<Alert>> channels = new LinkedHashMap<>();
        List<String> told = new ArrayList<>(List.of("the log"));
        Optional<URI> url = settings.optional("hms.alert.webhook-url").map(AlertsWiring::webhookUrl);
        if (url.isPresent()) {
            channels.put("the webhook", webhook(context, settings, template, url.get(), counts));
            told.add("the webhook at " + url.get().getHost());
        }
        broker.ifPresent(b -> {
            channels.put("RabbitMQ", b::alert);
            told.add("RabbitMQ (" + settings.required("hms.rabbitmq.outcomes-exchange") + ", alert.<kind>)");
        });
        String hub = hubName(settings);
        HubAlerts alerts = new HubAlerts(hub, stores.json(), channels);
        stores.parking().alertTo(alerts);
        circuits.addListener((system, from, to) -> alerts.circuitChanged(system, from, to, circuits.waiting(system)));
        LOG.info("alerts of hub {} go to {}", hub, String.join(", ", told));
        return counts;
    }

    private static AlertWebhook webhook(CamelContext context, HubSettings settings, ProducerTemplate template, URI url,
                                        AlertCounts counts) throws Exception {
        RetrySettings retry = new RetrySettings(settings.requiredInt("hms.alert.retry.max-attempts"),
                settings.requiredLong("hms.alert.retry.first-delay-ms"), 2.0, settings.requiredLong("hms.alert.retry.max-delay-ms"));
        context.addRoutes(new AlertRoutes(url, Duration.ofMillis(settings.requiredLong("hms.alert.timeout-ms")), retry));
        AlertWebhook webhook = new AlertWebhook(settings.requiredInt("hms.alert.queue-size"), counts, template, url.getHost(),
                retry.maxAttempts());
        ExecutorService thread = context.getExecutorServiceManager().newSingleThreadExecutor(AlertWebhook.class, "hms-alerts");
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the route runs from onCamelContextFullyStarted on
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                webhook.start(thread);
            }
        });
        // a webhook that hangs must not hold the hub's stop: the thread goes before the routes stop
        ContextStopping.run(context, () -> {
            webhook.stop();
            context.getExecutorServiceManager().shutdownNow(thread);
        });
        return webhook;
    }

    /** The URL is checked at start, and a refusal does not repeat it: it may carry a token. */
    private static URI webhookUrl(String text) {
        try {
            URI url = new URI(text.trim());
            if (("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // said below, without the text
        }
        throw new IllegalArgumentException("hms.alert.webhook-url (HMS_ALERT_WEBHOOK_URL) is not an http:// or https:// URL with a host");
    }

    /** {@code hms.instance} (HMS_INSTANCE_ID), else the host name. */
    private static String hubName(HubSettings settings) {
        return settings.optional("hms.instance").orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("hms-sync");
            }
        });
    }
}
