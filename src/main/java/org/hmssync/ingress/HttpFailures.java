package org.hmssync.ingress;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hmssync.event.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers, in the contract's JSON error shape, what the embedded HTTP server refuses before any of
 * the hub's routes runs: a body over the limit (Vert.x's body handler fails the request with 413),
 * a path or query whose percent escapes do not decode (the router fails it with 400), and any
 * other failure of the server's handlers. Without this Vert.x writes its reason phrase as plain text.
 */
public final class HttpFailures {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFailures.class);

    private final HttpAnswers answers;
    private final long maxBodyBytes;

    public HttpFailures(HttpAnswers answers, long maxBodyBytes) {
        this.answers = answers;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The statuses {@link #errorHandler} is meant for: every one the server itself answers with. */
    public static final int[] STATUSES = {400, 413, 500};

    /**
     * For {@code Router.errorHandler(status, ...)}: Vert.x calls it for a request that failed with
     * this status and no route handled the failure (a decoding error is never failed with one, so
     * the status is passed in, not read from the context).
     */
    public Handler<RoutingContext> errorHandler(int status) {
        return ctx -> {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                answer(ctx, status);
            }
        };
    }

    private void answer(RoutingContext ctx, int status) {
        switch (status) {
            case 413 -> send(ctx, 413, "the request body is larger than " + maxBodyBytes / 1024 + " KiB (" + maxBodyBytes + " bytes)",
                    List.of(new Violation("body", "must be at most " + maxBodyBytes + " bytes")));
            case 400 -> {
                String field = !decodes(ctx.request().path()) ? "path" : !decodes(ctx.request().query()) ? "query" : null;
                if (field != null) {
                    send(ctx, 400, "the request's " + field + " could not be decoded: every % must be followed by two hexadecimal digits",
                            List.of(new Violation(field, "must be percent-encoded correctly")));
                } else {
                    send(ctx, 400, "the request could not be read", List.of(new Violation("request", "is malformed")));
                }
            }
            case 500 -> {
                LOG.error("HTTP {} {} failed in the server before or after the hub's route", ctx.request().method(), ctx.request().path(),
                        ctx.failure());
                send(ctx, 500, "the hub could not answer this request; the failure is in its log", List.of());
            }
            default -> send(ctx, status, "the request was refused: " + HttpResponseStatus.valueOf(status).reasonPhrase(), List.of());
        }
    }

    private static boolean decodes(String raw) {
        if (raw == null) {
            return true;
        }
        try {
            URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void send(RoutingContext ctx, int status, String sentence, List<Violation> details) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answers.errorJson(sentence, details));
    }
}
