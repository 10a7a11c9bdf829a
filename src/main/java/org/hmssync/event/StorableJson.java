package org.hmssync.event;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an event can be stored, read back and printed exactly. The hub writes numbers in plain
 * form (never E notation), so a number whose plain form is longer than the JSON reader accepts
 * ({@code 1e1000}, {@code 1e-999999999}) would be stored and then never read again; a string with
 * half a surrogate pair cannot be written as UTF-8 at all. Both are refused at the door, naming the
 * field, instead of leaving an accepted event that nobody can run, park or replay.
 */
final class StorableJson {

    /** The reader's own limit: a longer number is unreadable once written plainly. */
    static final int MAX_NUMBER_CHARS = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

    private final ObjectMapper json;

    StorableJson(ObjectMapper json) {
        this.json = json;
    }

    /** The first field that cannot be stored exactly, or empty. */
    Optional<Violation> check(JsonNode event) {
        Optional<Violation> field = firstUnstorable("", event);
        return field.isPresent() ? field : roundTrip(event);
    }

    private Optional<Violation> firstUnstorable(String path, JsonNode node) {
        if (node.isNumber()) {
            return plainLength(node.decimalValue()) > MAX_NUMBER_CHARS
                    ? Optional.of(new Violation(path, "is a number too large or too precise to store exactly (its plain form is over "
                            + MAX_NUMBER_CHARS + " characters)"))
                    : Optional.empty();
        }
        if (node.isTextual()) {
            return isWellFormed(node.textValue()) ? Optional.empty()
                    : Optional.of(new Violation(path, "contains an unpaired UTF-16 surrogate and cannot be stored as UTF-8"));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Violation> inner = firstUnstorable(path + "[" + i + "]", node.get(i));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (!isWellFormed(field.getKey())) {
                    return Optional.of(new Violation(path.isEmpty() ? "body" : path,
                            "has a field name with an unpaired UTF-16 surrogate"));
                }
                Optional<Violation> inner = firstUnstorable(name, field.getValue());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** Characters of the plain decimal form, computed without building it (1e-999999999 would take a GB). */
    static long plainLength(BigDecimal value) {
        long precision = value.precision();
        long scale = value.scale();
        long digits = scale <= 0 ? precision - scale : Math.max(precision, scale + 1);
        return digits + (scale > 0 ? 1 : 0) + (value.signum() < 0 ? 1 : 0);
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The last word: what is written as UTF-8 must read back as the same event. */
    private Optional<Violation> roundTrip(JsonNode event) {
        try {
            JsonNode again = json.readTree(json.writeValueAsBytes(event));
            if (again.equals(NUMERIC_EQUALITY, event)) {
                return Optional.empty();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // falls through to the refusal
        }
        return Optional.of(new Violation("body", "cannot be stored and read back exactly"));
    }

    /** Plain form drops a number's exponent (1E+3 is written 1000): equal by value, not by scale. */
    private static final java.util.Comparator<JsonNode> NUMERIC_EQUALITY = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
