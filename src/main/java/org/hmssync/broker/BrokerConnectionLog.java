package org.hmssync.broker;

import com.rabbitmq.client.ShutdownSignalException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hmssync.ledger.FailureReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * What an operator reads while the broker is down: one WARN line when the connection is lost, one
 * per connection attempt that failed, each naming host:port and the cause (never the URI, which
 * may carry a password), the stack trace only at DEBUG; and one line when a connection succeeds
 * again. The listener container's own ERROR with a full trace for each attempt is filtered out in
 * log4j2.xml.
 */
public final class BrokerConnectionLog implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnectionLog.class);

    private final String address;
    private final AtomicBoolean failing = new AtomicBoolean();

    public BrokerConnectionLog(String host, int port) {
        this.address = host + ":" + port;
    }

    @Override
    public void onFailed(Exception failure) {
        failing.set(true);
        LOG.warn("RabbitMQ at {} is unreachable: {}; the hub keeps trying", address, FailureReasons.of(failure));
        LOG.debug("RabbitMQ connection attempt to {} failed", address, failure);
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
        if (signal.isInitiatedByApplication() || failing.getAndSet(true)) {
            return; // closed on purpose (the hub is stopping), or already told
        }
        LOG.warn("RabbitMQ connection to {} lost: {}; the hub reconnects", address, FailureReasons.of(signal));
        LOG.debug("RabbitMQ connection to {} lost", address, signal);
    }

    @Override
    public void onCreate(Connection connection) {
        if (failing.getAndSet(false)) {
            LOG.info("RabbitMQ at {} is reachable again", address);
        }
    }
}
