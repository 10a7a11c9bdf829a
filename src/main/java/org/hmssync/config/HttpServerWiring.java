package org.hmssync.config;

import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.hmssync.ingress.ConsoleFiles;
import org.hmssync.ingress.HttpAnswers;
import org.hmssync.ingress.HttpFailures;
import org.hmssync.ingress.UnroutedRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the hub's own handlers on camel-main's embedded Vert.x server once it runs (JSON errors for
 * what the server refuses itself, 405/404 and the console for requests no route takes) and says
 * in one line where it really listens. Camel's own endpoint summary prints every URL as
 * {@code http://0.0.0.0:PORT} whatever the bind address (MainHttpServerUtil in Camel 4.17), so
 * log4j2.xml keeps it quiet and this line is the one to read.
 */
public final class HttpServerWiring implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerWiring.class);

    private final int port;
    private final HttpAnswers answers;
    private final HttpFailures failures;

    public HttpServerWiring(int port, HttpAnswers answers, HttpFailures failures) {
        this.port = port;
        this.answers = answers;
        this.failures = failures;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes are not running yet: wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("the embedded HTTP server on port " + port + " is not running (camel.server.enabled)");
        }
        // A path that does not decode fails in the server's top router, before it reaches Camel's
        // router (where a query that does not decode fails); a body over the limit and a failed
        // route end up in the top router's error handlers too.
        for (int status : HttpFailures.STATUSES) {
            topRouter(router.getServer()).errorHandler(status, failures.errorHandler(status));
            router.errorHandler(status, failures.errorHandler(status));
        }
        // last of all routes, where camel.server.static-enabled would put its catch-all (which serves the working folder)
        router.route().order(Integer.MAX_VALUE)
                .blockingHandler(new UnroutedRequests(router, new ConsoleFiles(HttpServerWiring.class.getClassLoader()), answers), false);
        LOG.info("HMS-SYNC listening on {} (console /, API /events /dlq /ledger, health /observe/health, metrics /observe/metrics)",
                address(router.getServer()));
    }

    /** The router the server hands every request to; Camel's router is mounted in it at the server's path. */
    private static Router topRouter(VertxPlatformHttpServer server) {
        if (server.getServer().requestHandler() instanceof Router top) {
            return top;
        }
        throw new IllegalStateException("the embedded HTTP server's request handler is not a Vert.x router");
    }

    private static String address(VertxPlatformHttpServer server) {
        String host = server.getHost();
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort() + "/";
        return "0.0.0.0".equals(host) || "::".equals(host) ? url + " (every interface)" : url;
    }
}
