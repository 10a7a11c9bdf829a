package org.hmssync.broker;

import java.net.URI;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** One connection factory for the hub: publisher confirms on, short connect timeout, heartbeats. */
public final class BrokerConnections {
    // Spring's listener containers and caching factory do the reconnecting; the client's own
    // automatic recovery would fight them.

    private BrokerConnections() {
    }

    public static CachingConnectionFactory create(BrokerSettings settings) {
        CachingConnectionFactory factory = new CachingConnectionFactory(rabbitFactory(settings.uri()));
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        factory.setConnectionTimeout(3_000);
        factory.setRequestedHeartBeat(10);
        factory.setChannelCacheSize(64);
        factory.setConnectionNameStrategy(f -> "hms-sync");
        return factory;
    }

    /**
     * The AMQP URI spec reads {@code amqp://host:5672/} as the empty vhost, which no broker has;
     * people mean the default one, "/", and so does the contract's example.
     */
    public static com.rabbitmq.client.ConnectionFactory rabbitFactory(String uri) {
        com.rabbitmq.client.ConnectionFactory rabbit = new com.rabbitmq.client.ConnectionFactory();
        try {
            rabbit.setUri(uri);
        } catch (java.net.URISyntaxException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("HMS_RABBITMQ_URI is not a valid amqp:// URI", e);
        }
        String path = URI.create(uri).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            rabbit.setVirtualHost("/");
        }
        rabbit.setAutomaticRecoveryEnabled(false);
        return rabbit;
    }
}
