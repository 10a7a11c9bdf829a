package org.hmssync.broker;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** Readiness is DOWN while the broker cannot be reached, with the reason. */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final CachingConnectionFactory connections;

    public BrokerHealthCheck(CachingConnectionFactory connections) {
        super("hms", "rabbitmq");
        this.connections = connections;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (connections.createConnection().isOpen()) {
                builder.up();
                return;
            }
            builder.message("RabbitMQ connection is closed").down();
        } catch (RuntimeException e) {
            builder.message("RabbitMQ is unreachable: " + org.hmssync.ledger.FailureReasons.of(e)).down();
        }
    }
}
