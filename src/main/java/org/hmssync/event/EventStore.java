package org.hmssync.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hmssync.journal.GroupCommitJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every accepted event, whole, in {@code events.jsonl} (group-committed like the ledger). The ledger
 * line {@code received} is written only after the event is here, so recovery and replay always
 * have the event a ledger line speaks of. Memory holds only where each event lies in the file and
 * its type; its text is read back when asked for.
 */
public final class EventStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    /** Where the last stored copy of an event lies ({@link org.hmssync.journal.LineSpan}), and its type for the views. */
    private record Stored(long span, String type) { }

    private final ObjectMapper json;
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    /** One instance per type name: a handful of types shared by every event. */
    private final Map<String, String> typeNames = new ConcurrentHashMap<>();
    private final GroupCommitJournal<SyncEvent> journal;

    public EventStore(Path file, int groupCommitMax, ObjectMapper json) throws IOException {
        this.json = json;
        this.journal = new GroupCommitJournal<>(file, groupCommitMax, (event, span) -> remember(event.id(), event.type(), span));
        load(file);
    }

    private void remember(String id, String type, long span) {
        // the last copy wins: an earlier one is an acceptance that failed (its received line never
        // reached the ledger), and a corrected retry of the same id must run its own body
        stored.put(id, new Stored(span, type == null ? null : typeNames.computeIfAbsent(type, t -> t)));
    }

    private void load(Path file) throws IOException {
        GroupCommitJournal.forEachLine(file, (text, span) -> {
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.hasNonNull("id")) {
                    remember(node.get("id").asText(), node.path("type").asText(null), span);
                }
            } catch (JsonProcessingException e) {
                LOG.warn("an event line in {} is not whole JSON (a write cut short?); skipped", file.getFileName());
            }
        });
    }

    /** Stores the event and returns once it is on disk; {@code text}: its compact JSON if the caller has it, else null. */
    public void save(SyncEvent event, String text) {
        String line = text;
        if (line == null) {
            try {
                line = json.writeValueAsString(event.json());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        journal.appendDurably(line, event);
    }

    public void save(SyncEvent event) {
        save(event, null);
    }

    /** The event exactly as stored: compact JSON text. */
    public Optional<String> text(String id) {
        return Optional.ofNullable(stored.get(id)).map(s -> journal.read(s.span()));
    }

    public Optional<String> type(String id) {
        return Optional.ofNullable(stored.get(id)).map(Stored::type);
    }

    public Optional<SyncEvent> find(String id) {
        return text(id).map(t -> {
            try {
                return SyncEvent.of((ObjectNode) json.readTree(t));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored event " + id + " is unreadable", e);
            }
        });
    }

    @Override
    public void close() {
        journal.close();
    }
}
