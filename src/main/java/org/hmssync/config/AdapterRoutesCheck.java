package org.hmssync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.hmssync.settings.AdapterSettings;

/**
 * Refuses to start a hub whose adapters' routes would not carry its calls: better than a 2 a.m. no
 * vote, or a commit that waits for a consumer while every other system is reversed. Each
 * configured adapter has its three routes, each starting at its own {@code direct:} endpoint, and
 * every {@code direct:} endpoint a route file sends to has a route consuming it. Checked on the
 * route definitions before anything starts; one line per problem, each naming the route file.
 */
public final class AdapterRoutesCheck {

    private static final List<String> PHASES = List.of("prepare", "commit", "rollback");

    private final List<AdapterSettings> adapters;

    AdapterRoutesCheck(List<AdapterSettings> adapters) {
        this.adapters = adapters;
    }

    /** Throws {@link StartRefusedException} naming every problem. */
    public void check(CamelContext context) {
        Map<String, RouteDefinition> byId = new LinkedHashMap<>();
        for (RouteDefinition definition : definitions(context)) {
            byId.put(definition.getRouteId(), definition);
        }
        List<String> problems = new ArrayList<>();
        for (AdapterSettings adapter : adapters) {
            for (String phase : PHASES) {
                String id = adapter.name() + "-" + phase;
                RouteDefinition route = byId.get(id);
                String expected = "direct:" + id;
                if (route == null) {
                    problems.add("routes/adapters/" + adapter.name() + ".camel.yaml: route " + id + " is missing (hms.adapters names "
                            + adapter.name() + "; expected routes with ids " + adapter.name() + "-prepare, -commit, -rollback)");
                } else if (!expected.equals(directName(context, route, route.getInput().getEndpointUri()))) {
                    problems.add(where(route) + ": route " + id + " starts at " + templated(route, route.getInput().getEndpointUri())
                            + "; it must start at " + expected);
                }
            }
        }
        problems.addAll(unconsumedDirectEndpoints(context, byId.values()));
        problems.addAll(unresolvedSettings(context, byId));
        problems.addAll(copybook(context));
        if (!problems.isEmpty()) {
            throw new StartRefusedException("the adapters' routes are not usable, the hub does not start:\n  " + String.join("\n  ", problems));
        }
    }

    private static List<RouteDefinition> definitions(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions();
    }

    /** A {@code to: direct:x} in a route file with no {@code from: direct:x} would wait for a consumer on every call. */
    private static List<String> unconsumedDirectEndpoints(CamelContext context, java.util.Collection<RouteDefinition> routes) {
        Set<String> consumed = new TreeSet<>();
        for (RouteDefinition route : routes) {
            String name = directName(context, route, route.getInput().getEndpointUri());
            if (name != null) {
                consumed.add(name);
            }
        }
        List<String> problems = new ArrayList<>();
        for (RouteDefinition route : routes) {
            if (route.getResource() == null) {
                continue;   // the hub's own routes: their sends to adapters are the phase check above
            }
            for (SendDefinition<?> send : sends(route.getOutputs(), new ArrayList<>())) {
                String name = directName(context, route, send.getEndpointUri());
                if (name != null && !name.contains("${") && !consumed.contains(name)) {
                    problems.add(where(route, send) + ": route " + route.getRouteId() + " sends to " + name
                            + ", which no route consumes (a misspelled endpoint?)");
                }
            }
        }
        return problems;
    }

    /**
     * An adapter's endpoint that names a setting nobody set (a new system's URL) would fail the start
     * with Camel's stack trace: named here in one line, with where to set it.
     */
    private List<String> unresolvedSettings(CamelContext context, Map<String, RouteDefinition> byId) {
        java.util.regex.Pattern missing = java.util.regex.Pattern.compile("key \\[([^\\]]+)\\] not found");
        List<String> problems = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        for (AdapterSettings adapter : adapters) {
            for (String phase : PHASES) {
                RouteDefinition route = byId.get(adapter.name() + "-" + phase);
                if (route == null) {
                    continue;
                }
                for (SendDefinition<?> send : sends(route.getOutputs(), new ArrayList<>())) {
                    try {
                        context.resolvePropertyPlaceholders(templated(route, send.getEndpointUri()));
                    } catch (RuntimeException unresolved) {
                        java.util.regex.Matcher key = missing.matcher(String.valueOf(unresolved.getMessage()));
                        String setting = key.find() ? key.group(1) : null;
                        if (setting != null && named.add(setting)) {
                            String at = route.getResource() != null ? where(route, send) : "routes/adapters/" + adapter.name() + ".camel.yaml";
                            problems.add(at + ": " + setting + " is not set: set " + org.hmssync.settings.HubSettings.environmentName(setting)
                                    + " in the environment, or " + setting + " in config/application.properties");
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** The mainframe's copybook, when the mainframe is one of the systems and its copy is in the routes folder. */
    private List<String> copybook(CamelContext context) {
        if (adapters.stream().noneMatch(a -> a.name().equals("mainframe"))) {
            return List.of();
        }
        try {
            String location = context.resolvePropertyPlaceholders("{{hms.routes-location}}") + "/mainframe/SYNCREC.cpy";
            org.apache.camel.spi.Resource copybook = org.apache.camel.support.PluginHelper.getResourceLoader(context).resolveResource(location);
            if (copybook == null || !copybook.exists()) {
                return List.of();   // the records are the hub's; the copy is there to be checked when it is there
            }
            try (java.io.InputStream in = copybook.getInputStream()) {
                List<String> lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().toList();
                return org.hmssync.adapters.mainframe.CopybookCheck.problems(lines, "routes/mainframe/SYNCREC.cpy");
            }
        } catch (java.io.IOException | RuntimeException e) {
            return List.of("routes/mainframe/SYNCREC.cpy could not be read: " + e.getMessage());
        }
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

    /** {@code direct:x}, {@code direct://x?opts} as {@code direct:x}, placeholders resolved; anything else null. */
    private static String directName(CamelContext context, RouteDefinition route, String raw) {
        if (raw == null) {
            return null;
        }
        String uri = templated(route, raw);
        try {
            uri = context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException unresolved) {
            return null;   // a setting that does not resolve fails the start on its own, with its name
        }
        if (!uri.startsWith("direct:")) {
            return null;
        }
        String name = uri.substring("direct:".length());
        name = name.startsWith("//") ? name.substring(2) : name;
        int query = name.indexOf('?');
        return "direct:" + (query < 0 ? name : name.substring(0, query));
    }

    private static String where(RouteDefinition route) {
        return where(route, route.getInput());
    }

    /** A route made from a template (a REST adapter file) has its parameters put in first: {{system}}, {{phase}}, ... */
    private static String templated(RouteDefinition route, String uri) {
        Map<String, Object> parameters = route.getTemplateParameters();
        if (uri == null || parameters == null) {
            return uri;
        }
        String resolved = uri;
        for (Map.Entry<String, Object> p : parameters.entrySet()) {
            resolved = resolved.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
        }
        return resolved;
    }

    /** The route file and line, as an engineer opens it: {@code routes/adapters/x.camel.yaml:28}. */
    private static String where(RouteDefinition route, org.apache.camel.LineNumberAware node) {
        String file = route.getResource() == null ? null : route.getResource().getLocation();
        if (file == null) {
            return "route " + route.getRouteId();
        }
        file = file.replaceFirst("^(file|classpath):", "");
        String cwd = System.getProperty("user.dir") + "/";
        file = file.startsWith(cwd) ? file.substring(cwd.length()) : file;
        return node != null && node.getLineNumber() > 0 ? file + ":" + node.getLineNumber() : file;
    }
}
