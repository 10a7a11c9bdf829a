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
import org.hmssync.ledger.GroupCommitJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every accepted event, whole, in {@code events.jsonl} (group-committed like the ledger). The ledger
 * line {@code received} is written only after the event is here, so recovery and replay always
 * have the event a ledger line speaks of. Memory holds only where each event lies in the file; its
 * text is read back when asked for.
 */
public final class EventStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    private final ObjectMapper json;
    /** The {@link org.hmssync.ledger.LineSpan} of each event's first stored copy. */
    private final Map<String, Long> spans = new ConcurrentHashMap<>();
    private final GroupCommitJournal journal;

    public EventStore(Path file, int groupCommitMax, ObjectMapper json) throws IOException {
        this.json = json;
        this.journal = new GroupCommitJournal(file, groupCommitMax, (id, span) -> spans.putIfAbsent((String) id, span));
        load(file);
    }

    private void load(Path file) throws IOException {
        GroupCommitJournal.forEachLine(file, (text, span) -> {
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.hasNonNull("id")) {
                    spans.putIfAbsent(node.get("id").asText(), span);
                }
            } catch (JsonProcessingException e) {
                LOG.warn("an event line in {} is not whole JSON (a write cut short?); skipped", file.getFileName());
            }
        });
    }

    /** Stores the event and returns once it is on disk. */
    public void save(SyncEvent event) {
        String text;
        try {
            text = json.writeValueAsString(event.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        journal.appendDurably(text, event.id());
    }

    /** The event exactly as stored: compact JSON text. */
    public Optional<String> text(String id) {
        return Optional.ofNullable(spans.get(id)).map(journal::read);
    }

    public Optional<String> type(String id) {
        return text(id).map(t -> {
            try {
                return json.readTree(t).path("type").asText(null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored event " + id + " is unreadable", e);
            }
        });
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
