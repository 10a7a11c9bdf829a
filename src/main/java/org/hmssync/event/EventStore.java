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
import org.hmssync.journal.FileSink;
import org.hmssync.journal.GroupCommitJournal;
import org.hmssync.journal.LineSink;
import org.hmssync.journal.TableSink;
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
    private record Stored(long span, String type, String laneKey) { }

    private final ObjectMapper json;
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    /** One instance per type name: a handful of types shared by every event. */
    private final Map<String, String> typeNames = new ConcurrentHashMap<>();
    private final GroupCommitJournal<SyncEvent> journal;
    /** Cluster mode: the table other hubs append to; null for a file. */
    private final TableSink<SyncEvent> shared;

    public EventStore(Path file, int groupCommitMax, ObjectMapper json) throws IOException {
        this(FileSink.open(file), null, groupCommitMax, json);
    }

    /** The events in a table several hubs append to (cluster mode); {@link #follow} reads what the others wrote. */
    public EventStore(TableSink<SyncEvent> table, int groupCommitMax, ObjectMapper json) throws IOException {
        this(table, table, groupCommitMax, json);
    }

    private EventStore(LineSink<SyncEvent> sink, TableSink<SyncEvent> shared, int groupCommitMax, ObjectMapper json) throws IOException {
        this.json = json;
        this.shared = shared;
        this.journal = new GroupCommitJournal<>(sink, groupCommitMax, GroupCommitJournal.LineSeal.none(),
                (event, span) -> remember(event.id(), event.type(), event.laneKey(), span));
        load(sink);
        if (shared != null) {
            shared.followForeign(this::remember);
        }
    }

    /** Cluster mode: learns of the events other hubs stored since the last look. */
    public void follow() {
        if (shared != null) {
            shared.catchUp();
        }
    }

    private void remember(String id, String type, String laneKey, long span) {
        // the last copy wins: an earlier one is an acceptance that failed (its received line never
        // reached the ledger), and a corrected retry of the same id must run its own body
        stored.put(id, new Stored(span, type == null ? null : typeNames.computeIfAbsent(type, t -> t), laneKey));
    }

    private void load(LineSink<SyncEvent> sink) throws IOException {
        sink.forEachLine(this::remember);
    }

    private void remember(String text, long span) {
        try {
            JsonNode node = json.readTree(text);
            if (node != null && node.hasNonNull("id")) {
                String id = node.get("id").asText();
                remember(id, node.path("type").asText(null), SyncEvent.laneKeyOf(id, node.get("payload")), span);
            }
        } catch (JsonProcessingException e) {
            LOG.warn("an event line is not whole JSON (a write cut short?); skipped");
        }
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
        return Optional.ofNullable(stored(id)).map(s -> journal.read(s.span()));
    }

    private Stored stored(String id) {
        Stored found = stored.get(id);
        if (found == null && shared != null) {
            follow();   // another hub may have stored it since the last look
            found = stored.get(id);
        }
        return found;
    }

    public Optional<String> type(String id) {
        return Optional.ofNullable(stored(id)).map(Stored::type);
    }

    /** The event's lane key ({@link SyncEvent#laneKey}), known without reading the event again. */
    public Optional<String> laneKey(String id) {
        return Optional.ofNullable(stored(id)).map(Stored::laneKey);
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
