package org.hmssync.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.hmssync.config.HubJson;
import org.hmssync.config.ScratchHub;
import org.hmssync.coordinator.HmsHeaders;

/**
 * {@code render <adapter> <event.json>}: the HTTP requests an adapter would send for an event, at
 * prepare, commit and rollback (method, URL, headers, body), without sending them. The adapter's
 * own routes run on the event as the hub hands it over; every HTTP call is caught before it leaves.
 * Secrets are masked: a URL's user info and query values, and headers that carry credentials.
 */
final class RenderCommand implements HubCommand {

    private static final List<String> PHASES = List.of("prepare", "commit", "rollback");
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i).*(authorization|token|secret|password|api-?key|cookie).*");
    private static final String CAUGHT = "hmsRenderedRequests";

    @Override
    public String usage() {
        return "render <adapter> <event.json>: print the requests the adapter would send for the event, without sending them";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.size() != 2) {
            err.println("usage: java -jar hms-sync.jar " + usage());
            return 2;
        }
        String adapter = args.get(0);
        Path eventFile = Path.of(args.get(1));
        JsonNode event;
        try {
            event = HubJson.mapper().readTree(Files.readString(eventFile));
        } catch (java.io.IOException e) {
            err.println("render: " + eventFile + " is not a readable JSON event: " + e.getMessage());
            return 1;
        }
        if (event == null || !event.path("id").isTextual()) {
            err.println("render: " + eventFile + " has no \"id\": an event is {\"id\", \"type\", \"payload\", ...}");
            return 1;
        }
        ScratchHub.quietLog();
        try (ScratchHub hub = new ScratchHub()) {
            CamelContext context = hub.start().getCamelContext();
            if (context.getRoute(adapter + "-prepare") == null) {
                err.println("render: no adapter '" + adapter + "' (no route " + adapter + "-prepare); the adapters are the files in routes/adapters/");
                return 1;
            }
            int failures = 0;
            for (String phase : PHASES) {
                failures += render(context, adapter, phase, event, out);
            }
            return failures == 0 ? 0 : 1;
        } catch (Exception e) {
            ScratchHub.problems(e).forEach(err::println);
            return 1;
        }
    }

    private static int render(CamelContext context, String adapter, String phase, JsonNode event, PrintStream out) throws Exception {
        String routeId = adapter + "-" + phase;
        AdviceWith.adviceWith(context, routeId, route -> route.interceptSendToEndpoint("http*").skipSendToOriginalEndpoint()
                .process(RenderCommand::catchRequest));
        context.getRouteController().startRoute(routeId);
        Exchange done = context.createProducerTemplate().send("direct:" + routeId, e -> {
            e.getMessage().setBody(event.deepCopy());
            e.getMessage().setHeader(HmsHeaders.ROLLBACK_TOKEN, event.path("id").asText());
        });
        out.println("== " + phase + " (route " + routeId + ")");
        @SuppressWarnings("unchecked")
        List<String> requests = done.getProperty(CAUGHT, List.class);
        if (done.getException() != null) {
            out.println("   fails before any request: " + done.getException().getMessage());
            return 1;
        }
        if (requests == null) {
            out.println("   no HTTP request (this adapter speaks another protocol)");
        } else {
            requests.forEach(out::println);
        }
        return 0;
    }

    private static void catchRequest(Exchange exchange) {
        String uri = exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        java.util.regex.Matcher inUri = Pattern.compile("[?&]httpMethod=([A-Za-z]+)").matcher(uri);
        if (method == null) {
            method = inUri.find() ? inUri.group(1).toUpperCase(Locale.ROOT) : "POST";
        }
        StringBuilder request = new StringBuilder("   ").append(method).append(' ').append(maskUrl(uri.replaceAll("[?&]httpMethod=[A-Za-z]+", "")));
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && !name.startsWith("Hms")) {
                headers.put(name, SECRET_HEADER.matcher(name).matches() ? "****" : value);
            }
        });
        headers.forEach((name, value) -> request.append("\n   ").append(name).append(": ").append(value));
        request.append("\n\n   ").append(exchange.getMessage().getBody(String.class)).append('\n');
        @SuppressWarnings("unchecked")
        List<String> caught = exchange.getProperty(CAUGHT, List.class);
        if (caught == null) {
            caught = new ArrayList<>();
            exchange.setProperty(CAUGHT, caught);
        }
        caught.add(request.toString());
    }

    /** No user info, and no query value, reaches the screen: either may carry a credential. */
    static String maskUrl(String uri) {
        String url = uri.replaceFirst("^(https?)://[^/@]*@", "$1://****@");
        return url.replaceAll("([?&][^=&]+)=[^&]*", "$1=****");
    }

}
