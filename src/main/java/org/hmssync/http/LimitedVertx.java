package org.hmssync.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The Vert.x instance for Camel's embedded HTTP server, whose HTTP servers hold to {@link HttpLimits}.
 *
 * <p>Camel 4.17's {@code VertxPlatformHttpServer} builds its {@code HttpServerOptions} itself and
 * offers no {@code camel.server.*} option for the idle timeout or anything like a connection cap; it
 * does take its Vert.x from the registry. So the hub binds this one: a plain Vert.x that, when asked
 * for an HTTP server, sets the idle timeout on the options and a {@link ConnectionCap} on the server.
 * Everything else goes to the real instance untouched.
 */
public final class LimitedVertx implements InvocationHandler {

    private final Vertx vertx;
    private final HttpLimits limits;

    private LimitedVertx(Vertx vertx, HttpLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    public static Vertx create(HttpLimits limits) {
        Vertx vertx = Vertx.vertx();
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), vertx.getClass().getInterfaces(),
                new LimitedVertx(vertx, limits));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createHttpServer")) {
            HttpServerOptions options = args == null || args.length == 0 ? new HttpServerOptions() : (HttpServerOptions) args[0];
            HttpServer server = vertx.createHttpServer(limits.apply(options));
            return server.connectionHandler(new ConnectionCap(limits.maxConnections()));
        }
        if (method.getName().equals("equals") && args != null && args.length == 1) {
            return proxy == args[0];
        }
        try {
            return method.invoke(vertx, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
