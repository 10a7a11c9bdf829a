package org.hmssync.ingress;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hmssync.dlq.DeadLetterFilter;
import org.hmssync.event.EventReader;
import org.hmssync.event.Violation;

/**
 * The DLQ's filters as a caller gives them: the query parameters of {@code GET /dlq} and the JSON
 * body of {@code POST /dlq/replay}. Anything that is not exactly one of the documented rules is
 * refused with the parameter named, never quietly read as something else.
 */
final class DlqFilters {

    static final int MAX_LIMIT = 1000;
    /** No {@code limit}: every matching entry (how {@code GET /dlq} answered before it was paged). */
    static final int UNPAGED = Integer.MAX_VALUE;
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,9}");
    private static final Set<String> QUERY_NAMES = Set.of("batch_id", "system", "reason", "limit", "after");
    private static final List<String> BODY_FIELDS = List.of("batch_id", "system", "reason", "ids", "all");
    private static final String ID_RULE = "must be 1-64 characters of [A-Za-z0-9._-], not starting with '.'";

    /** A request that broke a rule: the sentence names the parameters, the details list them. */
    static final class Invalid extends Exception {

        private final transient List<Violation> violations;

        Invalid(List<Violation> violations) {
            super(violations.stream().map(Violation::sentence).collect(Collectors.joining("; ")));
            this.violations = List.copyOf(violations);
        }

        List<Violation> violations() {
            return violations;
        }
    }

    /** {@code GET /dlq}'s parameters: {@code after} null from the first entry, {@code limit} {@link #UNPAGED} when absent. */
    record Query(DeadLetterFilter filter, String after, int limit) { }

    private final Predicate<String> knownSystem;
    private final ObjectReader bodyReader;

    DlqFilters(ObjectMapper json, Predicate<String> knownSystem) {
        this.knownSystem = knownSystem;
        this.bodyReader = json.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The raw query string (still percent-encoded; null when there is none). A parameter with an
     * empty value is as if it were not given (what an HTML form sends for an empty field); others
     * than the five are ignored, as everywhere in the API; one given twice is refused.
     */
    Query query(String raw) throws Invalid {
        Map<String, String> given = new HashMap<>();
        List<Violation> broken = new ArrayList<>();
        for (String part : raw == null ? new String[0] : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Invalid(List.of(new Violation("query", "is not a well-formed query string (a bad %-escape)")));
            }
            if (!QUERY_NAMES.contains(name)) {
                continue;
            }
            if (given.containsKey(name)) {
                broken.add(new Violation(name, "is given more than once"));
            } else if (!value.isEmpty()) {
                given.put(name, value);
            } else {
                given.put(name, null);
            }
        }
        String batchId = given.get("batch_id");
        String after = given.get("after");
        String system = given.get("system");
        String limit = given.get("limit");
        if (batchId != null && !EventReader.ID.matcher(batchId).matches()) {
            broken.add(new Violation("batch_id", ID_RULE + ", not '" + Printable.id(batchId) + "'"));
        }
        if (after != null && !EventReader.ID.matcher(after).matches()) {
            broken.add(new Violation("after", ID_RULE + ", not '" + Printable.id(after) + "'"));
        }
        if (system != null && !knownSystem.test(system)) {
            broken.add(new Violation("system", "names no system of the hub: '" + Printable.id(system) + "'"));
        }
        int pageSize = UNPAGED;
        if (limit != null) {
            if (LIMIT.matcher(limit).matches() && Integer.parseInt(limit) >= 1 && Integer.parseInt(limit) <= MAX_LIMIT) {
                pageSize = Integer.parseInt(limit);
            } else {
                broken.add(new Violation("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", not '" + Printable.id(limit) + "'"));
            }
        }
        if (!broken.isEmpty()) {
            throw new Invalid(broken);
        }
        return new Query(new DeadLetterFilter(batchId, system, given.get("reason"), null), after, pageSize);
    }

    /**
     * {@code POST /dlq/replay}'s body: a JSON object of {@code batch_id}, {@code system},
     * {@code reason}, {@code ids} and {@code all}, each optional (null is absent). Text must not be
     * empty, {@code ids} must name at least one id. A filter without any criterion would replay
     * every parked event: it takes {@code "all": true}, said on purpose.
     */
    DeadLetterFilter body(byte[] body) throws Invalid {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : bodyReader.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(List.of(new Violation("body", "must be a JSON object: a filter of " + BODY_FIELDS)));
        }
        List<Violation> broken = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!BODY_FIELDS.contains(name)) {
                broken.add(new Violation(Printable.id(name), "is not a field of the filter " + BODY_FIELDS));
            }
        }
        String batchId = text(root, "batch_id", broken);
        String system = text(root, "system", broken);
        String reason = text(root, "reason", broken);
        if (batchId != null && !EventReader.ID.matcher(batchId).matches()) {
            broken.add(new Violation("batch_id", ID_RULE));
        }
        if (system != null && !knownSystem.test(system)) {
            broken.add(new Violation("system", "names no system of the hub: '" + Printable.id(system) + "'"));
        }
        Set<String> ids = null;
        JsonNode idsNode = root.path("ids");
        if (!idsNode.isMissingNode() && !idsNode.isNull()) {
            if (!idsNode.isArray() || idsNode.isEmpty()) {
                broken.add(new Violation("ids", "must be an array of at least one event id"));
            } else {
                ids = new LinkedHashSet<>();
                for (JsonNode id : idsNode) {
                    if (!id.isTextual() || !EventReader.ID.matcher(id.asText()).matches()) {
                        broken.add(new Violation("ids", "every id " + ID_RULE + ", not " + Printable.id(id.toString())));
                        break;
                    }
                    ids.add(id.asText());
                }
            }
        }
        JsonNode allNode = root.path("all");
        boolean all = false;
        if (!allNode.isMissingNode() && !allNode.isNull()) {
            if (allNode.isBoolean()) {
                all = allNode.booleanValue();
            } else {
                broken.add(new Violation("all", "must be true or false"));
            }
        }
        if (!broken.isEmpty()) {
            throw new Invalid(broken);
        }
        DeadLetterFilter filter = new DeadLetterFilter(batchId, system, reason, ids);
        if (filter.isEmpty() && !all) {
            throw new Invalid(List.of(new Violation("all", "must be true for a filter without batch_id, system, reason or ids "
                    + "(it replays every parked event)")));
        }
        return filter;
    }

    private static String text(JsonNode root, String field, List<Violation> broken) {
        JsonNode node = root.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            broken.add(new Violation(field, "must be a non-empty string"));
            return null;
        }
        return node.asText();
    }
}
