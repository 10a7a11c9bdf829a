package org.hmssync.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request whose connection closed before its body was in (the client left, or the hub closed it
 * past a deadline) has no one to answer: it ends quietly instead of with an ERROR line, so a flood
 * of stalled clients does not also flood the log. Other failures go on to the next handler.
 */
final class ClientGone implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ClientGone.class);

    @Override
    public void handle(RoutingContext context) {
        if (context.failure() instanceof HttpClosedException) {
            LOG.debug("{} {}: the connection closed before the request was in", context.request().method(), context.request().path());
            return;
        }
        context.next();
    }
}
