package org.hmssync.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a request or message body into a {@link SyncEvent}, enforcing every rule of contract
 * section 1. It is the only way in: nothing downstream ever sees an unchecked id.
 */
public final class EventReader {

    /** The id becomes a file name: letters, digits, '.', '_', '-', never a leading dot. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    public static final Pattern TYPE = Pattern.compile("[a-z0-9_.-]{1,64}");
    /** Payload fields named {@code *_usd} are money: a JSON number with at most 2 decimals. */
    private static final String MONEY_SUFFIX = "_usd";

    private final ObjectMapper json;
    private final int maxBodyBytes;
    private final StorableJson storable;
    /** A type no adapter follows would end with nothing applied: refused at the door (contract section 1). */
    private final KnownTypes knownTypes;

    /** What the hub can route: the event types some adapter follows. */
    @FunctionalInterface
    public interface KnownTypes {
        KnownTypes ANY = type -> true;

        boolean follows(String type);
    }

    public EventReader(ObjectMapper json, int maxBodyBytes) {
        this(json, maxBodyBytes, KnownTypes.ANY);
    }

    /**
     * Batches that take no more new events (their undo was asked for): why the event is refused, or
     * empty when it is not (an open batch, or an id the hub already knows, which is answered as usual).
     */
    @FunctionalInterface
    public interface ClosedBatches {
        ClosedBatches NONE = (batch, id) -> java.util.Optional.empty();

        java.util.Optional<String> whyClosed(String batchId, String eventId);
    }

    private final ClosedBatches closedBatches;

    public EventReader(ObjectMapper json, int maxBodyBytes, KnownTypes knownTypes) {
        this(json, maxBodyBytes, knownTypes, ClosedBatches.NONE);
    }

    public EventReader(ObjectMapper json, int maxBodyBytes, KnownTypes knownTypes, ClosedBatches closedBatches) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.storable = new StorableJson(json);
        this.knownTypes = knownTypes;
        this.closedBatches = closedBatches;
    }

    public SyncEvent read(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid(new Violation("body", "is empty; expected a JSON event object"));
        }
        if (body.length > maxBodyBytes) {
            throw new InvalidEventException(413, "body is " + body.length + " bytes; the limit is " + maxBodyBytes,
                    List.of(new Violation("body", "is larger than " + maxBodyBytes + " bytes")));
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid(new Violation("body", "is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw invalid(new Violation("body", "could not be read: " + e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw invalid(new Violation("body", "must be a JSON object, not " + (tree == null ? "nothing" : tree.getNodeType().name().toLowerCase())));
        }
        ObjectNode event = (ObjectNode) tree;
        List<Violation> violations = new ArrayList<>();
        checkText(event, "id", ID, "must be 1-64 characters of [A-Za-z0-9._-], not starting with '.'", violations);
        boolean typeWellFormed = checkText(event, "type", TYPE, "must be 1-64 characters of [a-z0-9_.-]", violations);
        if (event.hasNonNull("batch_id")) {
            checkText(event, "batch_id", ID, "must be 1-64 characters of [A-Za-z0-9._-], not starting with '.'", violations);
        }
        checkPayload(event.get("payload"), violations);
        checkOccurredAt(event.get("occurred_at"), violations);
        // last, so an event with other mistakes hears about those first: they are the publisher's to fix
        if (typeWellFormed && !knownTypes.follows(event.get("type").textValue())) {
            violations.add(new Violation("type", "'" + event.get("type").textValue() + "' is not an event type any adapter follows"));
        }
        if (violations.isEmpty()) {
            storable.check(event).ifPresent(violations::add);
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(400, "invalid event: " + violations.get(0).sentence(), violations);
        }
        SyncEvent valid = SyncEvent.of(event);
        closedBatches.whyClosed(valid.batchId(), valid.id()).ifPresent(why -> {
            throw new InvalidEventException(409, why, List.of(new Violation("batch_id", why)));
        });
        return valid;
    }

    /** True when the field is present and follows its rule. */
    private static boolean checkText(ObjectNode event, String field, Pattern pattern, String rule, List<Violation> out) {
        JsonNode value = event.get(field);
        if (value == null || value.isNull()) {
            out.add(new Violation(field, "is required"));
            return false;
        }
        if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
            out.add(new Violation(field, rule));
            return false;
        }
        return true;
    }

    private static void checkPayload(JsonNode payload, List<Violation> out) {
        if (payload == null || payload.isNull()) {
            out.add(new Violation("payload", "is required"));
            return;
        }
        if (!payload.isObject()) {
            out.add(new Violation("payload", "must be a JSON object"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().endsWith(MONEY_SUFFIX)) {
                checkMoney("payload." + field.getKey(), field.getValue(), out);
            }
        }
    }

    private static void checkMoney(String field, JsonNode value, List<Violation> out) {
        if (!value.isNumber()) {
            out.add(new Violation(field, "must be a decimal number of US dollars"));
            return;
        }
        BigDecimal amount = value.decimalValue();
        if (StorableJson.plainLength(amount) > StorableJson.MAX_NUMBER_CHARS) {
            out.add(new Violation(field, "is too large or too precise to be an amount of US dollars"));
        } else if (amount.stripTrailingZeros().scale() > 2) {
            // the value is bounded above, so printing it is too
            out.add(new Violation(field, "has more than 2 decimal places: " + amount.toPlainString()));
        }
    }

    private static void checkOccurredAt(JsonNode value, List<Violation> out) {
        if (value == null || value.isNull()) {
            return;
        }
        try {
            if (!value.isTextual()) {
                throw new DateTimeParseException("not text", value.toString(), 0);
            }
            OffsetDateTime.parse(value.asText());
        } catch (DateTimeParseException e) {
            out.add(new Violation("occurred_at", "must be an ISO-8601 instant such as 2026-11-27T02:14:11Z"));
        }
    }

    private static InvalidEventException invalid(Violation violation) {
        return new InvalidEventException(400, "invalid event: " + violation.sentence(), List.of(violation));
    }
}
