package org.hmssync.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.hmssync.coordinator.AdapterSettings;

/**
 * Fails start-up when an adapter's routes would not carry its calls: better than a 2 a.m. no vote,
 * or a commit that waits for a consumer while every other system is reversed. Each configured
 * adapter has its three routes, each starting at its own {@code direct:} endpoint, and every
 * {@code direct:} endpoint a route sends to has a route consuming it. One line per problem, each
 * naming the route file.
 */
final class AdapterRoutesCheck implements StartupListener {

    private static final List<String> PHASES = List.of("prepare", "commit", "rollback");

    private final List<AdapterSettings> adapters;

    AdapterRoutesCheck(List<AdapterSettings> adapters) {
        this.adapters = adapters;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        List<String> problems = new ArrayList<>();
        for (AdapterSettings adapter : adapters) {
            for (String phase : PHASES) {
                String id = adapter.name() + "-" + phase;
                Route route = context.getRoute(id);
                String expected = "direct:" + id;
                if (route == null) {
                    problems.add("routes/adapters/" + adapter.name() + ".camel.yaml: route " + id + " is missing (hms.adapters names "
                            + adapter.name() + "; expected routes with ids " + adapter.name() + "-prepare, -commit, -rollback)");
                } else if (!expected.equals(directName(route.getEndpoint().getEndpointUri()))) {
                    problems.add(where(route) + ": route " + id + " starts at " + route.getEndpoint().getEndpointUri()
                            + "; it must start at " + expected);
                }
            }
        }
        problems.addAll(unconsumedDirectEndpoints(context));
        if (!problems.isEmpty()) {
            throw new AdapterRoutesException(problems);
        }
    }

    /** A {@code to: direct:x} with no {@code from: direct:x} would wait for a consumer on every call. */
    private static List<String> unconsumedDirectEndpoints(CamelContext context) {
        Set<String> consumed = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            String name = directName(route.getEndpoint().getEndpointUri());
            if (name != null) {
                consumed.add(name);
            }
        }
        List<String> problems = new ArrayList<>();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition definition : model.getRouteDefinitions()) {
            for (SendDefinition<?> send : sends(definition.getOutputs(), new ArrayList<>())) {
                String name = directName(send.getEndpointUri());
                if (name != null && !name.contains("{{") && !name.contains("${") && !consumed.contains(name)) {
                    problems.add(where(context.getRoute(definition.getRouteId()), definition) + ": route " + definition.getRouteId()
                            + " sends to " + name + ", which no route consumes (a misspelled endpoint?)");
                }
            }
        }
        return problems;
    }

    private static List<SendDefinition<?>> sends(List<ProcessorDefinition<?>> outputs, List<SendDefinition<?>> found) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof SendDefinition<?> send) {
                found.add(send);
            }
            sends(output.getOutputs(), found);
        }
        return found;
    }

    /** {@code direct:x}, {@code direct://x?opts} as {@code direct:x}; anything else null. */
    private static String directName(String uri) {
        if (uri == null || !uri.startsWith("direct:")) {
            return null;
        }
        String name = uri.substring("direct:".length());
        name = name.startsWith("//") ? name.substring(2) : name;
        int query = name.indexOf('?');
        return "direct:" + (query < 0 ? name : name.substring(0, query));
    }

    private static String where(Route route) {
        return where(route, null);
    }

    private static String where(Route route, RouteDefinition definition) {
        String location = route == null ? null : route.getSourceLocationShort();
        if ((location == null || location.isBlank()) && definition != null && definition.getResource() != null) {
            location = definition.getResource().getLocation();
        }
        if ((location == null || location.isBlank()) && route != null && route.getSourceResource() != null) {
            location = route.getSourceResource().getLocation();
        }
        if (location == null || location.isBlank()) {
            return "route " + (route == null ? definition.getRouteId() : route.getRouteId());
        }
        return location.replaceFirst("^(file|classpath):", "");
    }

    /** The problems, one line each; the message is all a person needs (no stack trace). */
    static final class AdapterRoutesException extends IllegalStateException {
        AdapterRoutesException(List<String> problems) {
            super("the adapters' routes are not usable, the hub does not start:\n  " + String.join("\n  ", problems), null);
            setStackTrace(new StackTraceElement[0]);
        }
    }
}
