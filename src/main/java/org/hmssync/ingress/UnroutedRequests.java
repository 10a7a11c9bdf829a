package org.hmssync.ingress;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hmssync.event.Violation;

/**
 * The last handler of the embedded HTTP server, for a request no route took: a known path asked
 * with another method is {@code 405} with {@code Allow}; {@code GET} of a console file serves it;
 * anything else is {@code 404}. Errors in the contract's JSON shape.
 */
public final class UnroutedRequests implements Handler<RoutingContext> {

    private final Router router;
    private final ConsoleFiles console;
    private final HttpAnswers answers;

    public UnroutedRequests(Router router, ConsoleFiles console, HttpAnswers answers) {
        this.router = router;
        this.console = console;
        this.answers = answers;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        HttpMethod method = ctx.request().method();
        Set<String> allowed = allowedMethods(path);
        if (!allowed.isEmpty()) {
            String methods = String.join(", ", allowed);
            ctx.response().putHeader("Allow", methods);
            send(ctx, 405, method.name() + " is not allowed on " + Printable.id(path) + "; use " + methods,
                    new Violation("method", "must be one of " + methods));
            return;
        }
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            var file = console.find(path);
            if (file.isPresent()) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", file.get().contentType())
                        .end(io.vertx.core.buffer.Buffer.buffer(file.get().bytes()));
                return;
            }
        }
        send(ctx, 404, "nothing is served at " + Printable.id(path), new Violation("path", "is not a path of the hub's API or console"));
    }

    /** The methods of the routes whose path is this one (Vert.x's own 405 rule, which a catch-all route hides). */
    private Set<String> allowedMethods(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && !route.methods().isEmpty() && pattern(route).matcher(path).matches()) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        return allowed;
    }

    /** {@code /events/:id} as a pattern: each {@code :name} segment is any one segment; a trailing slash is allowed. */
    private static Pattern pattern(Route route) {
        String path = route.getPath();
        String segments = List.of(path.split("/", -1)).stream()
                .map(s -> s.startsWith(":") ? "[^/]+" : Pattern.quote(s))
                .collect(Collectors.joining("/"));
        return Pattern.compile(route.isExactPath() ? segments + "/?" : segments + ".*");
    }

    private void send(RoutingContext ctx, int status, String sentence, Violation detail) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(answers.errorJson(sentence, List.of(detail)));
    }
}
