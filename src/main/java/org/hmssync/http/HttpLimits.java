package org.hmssync.http;

import java.util.concurrent.TimeUnit;
import io.vertx.core.http.HttpServerOptions;
import org.hmssync.settings.HubSettings;

/**
 * How long and how many connections the hub's HTTP server holds for its clients: a connection with
 * no traffic for {@code idleTimeoutS} is closed, a request whose body has not all arrived within
 * {@code bodyTimeoutS} is answered 408 and closed, and past {@code maxConnections} open ones a new
 * connection is closed at once.
 */
public record HttpLimits(int idleTimeoutS, int bodyTimeoutS, int maxConnections) {

    public HttpLimits {
        if (idleTimeoutS < 1 || bodyTimeoutS < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("hms.http.idle-timeout-s, body-timeout-s and max-connections must be at least 1");
        }
    }

    public static HttpLimits from(HubSettings settings) {
        return new HttpLimits(settings.requiredInt("hms.http.idle-timeout-s"), settings.requiredInt("hms.http.body-timeout-s"),
                settings.requiredInt("hms.http.max-connections"));
    }

    /** A copy of Camel's server options with the idle timeout set. */
    HttpServerOptions apply(HttpServerOptions options) {
        return new HttpServerOptions(options).setIdleTimeout(idleTimeoutS).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
}
