package org.hmssync.http;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link HttpLimits} on Camel's embedded HTTP server (camel.server.*): its Vert.x comes from
 * {@link LimitedVertx} (idle timeout, connection cap), and the first route of its router holds the
 * {@link BodyDeadline} and, for failures, {@link ClientGone}. The hub owns that Vert.x, so it closes
 * it once the context has stopped.
 */
public final class HttpServerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuard.class);

    private HttpServerGuard() {
    }

    /** Call while the context is being configured, before Camel starts its HTTP server. */
    public static void install(CamelContext context, HttpLimits limits, int port) throws Exception {
        Vertx vertx = LimitedVertx.create(limits);
        // VertxPlatformHttpServer looks a Vert.x up in the registry when it starts and uses it
        context.getRegistry().bind("hmsVertx", vertx);
        // started early, right after the HTTP server and before the routes that read bodies
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                router(context, port).route().order(Integer.MIN_VALUE)
                        .handler(new BodyDeadline(limits.bodyTimeoutS())).failureHandler(new ClientGone());
                LOG.info("HTTP limits: idle connections closed after {} s, request bodies due within {} s, at most {} connections",
                        limits.idleTimeoutS(), limits.bodyTimeoutS(), limits.maxConnections());
            }
        }, true, true);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                try {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("Vert.x did not close cleanly: {}", e.toString());
                }
            }
        });
    }

    private static VertxPlatformHttpRouter router(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(0));
        }
        if (router == null) {
            throw new IllegalStateException("Camel's HTTP server (camel.server.enabled) has no router on port " + port);
        }
        return router;
    }
}
