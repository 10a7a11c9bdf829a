package org.hmssync.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x 4 has no limit on open connections: this counts them and closes a new one at once while
 * {@code max} are open, so a flood of clients costs the heap a bounded amount.
 */
final class ConnectionCap implements Handler<HttpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean full = new AtomicBoolean();

    ConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            if (full.compareAndSet(false, true)) {
                LOG.warn("{} HTTP connections are open (HMS_HTTP_MAX_CONNECTIONS): new ones are closed until some end", max);
            }
            connection.close();
            return;
        }
        connection.closeHandler(closed -> {
            if (open.decrementAndGet() < max && full.compareAndSet(true, false)) {
                LOG.info("HTTP connections below {} again: new ones are accepted", max);
            }
        });
    }
}
