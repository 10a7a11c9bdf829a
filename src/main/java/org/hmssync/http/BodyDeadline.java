package org.hmssync.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose body has not all arrived {@code seconds} after its headers is answered 408 and
 * its connection closed: a client that announces a body and stalls holds nothing for long. The
 * deadline is on the body only; a request that is in but slow to answer is left alone.
 */
final class BodyDeadline implements Handler<RoutingContext> {

    private final long millis;
    private final String answer;

    BodyDeadline(int seconds) {
        this.millis = seconds * 1000L;
        this.answer = "{\"error\":\"the request body did not arrive within " + seconds + " s\",\"details\":[]}";
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!request.isEnded()) {
            // runs on the request's event loop, like every other look at the request
            context.vertx().setTimer(millis, timer -> expire(request));
        }
        context.next();
    }

    private void expire(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        response.setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(answer).onComplete(written -> request.connection().close());
    }
}
