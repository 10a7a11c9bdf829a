package org.hmssync.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync ledger: {@code ledger.jsonl}, append-only, every line forced to disk before
 * {@link #record} returns. The in-memory statuses are a fold of the file, rebuilt at start-up.
 */
public final class SyncLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLedger.class);

    private final ObjectMapper json;
    private final Map<String, EventRecord> records = new ConcurrentHashMap<>();
    private final Map<String, List<LedgerLine>> lines = new ConcurrentHashMap<>();
    private final GroupCommitJournal journal;
    private volatile java.util.function.Consumer<LedgerLine> onDurable = line -> { };

    public SyncLedger(Path file, int groupCommitMax, ObjectMapper json) throws IOException {
        this.json = json;
        replay(file);
        this.journal = new GroupCommitJournal(file, groupCommitMax, item -> {
            apply((LedgerLine) item);
            onDurable.accept((LedgerLine) item);
        });
    }

    private void replay(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        int number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    LedgerLine line = json.readValue(text, LedgerLine.class);
                    records.computeIfAbsent(line.eventId(), EventRecord::new);
                    apply(line);
                } catch (JsonProcessingException e) {
                    LOG.warn("ledger line {} is not whole JSON (a write cut short?); skipped", number);
                }
            }
        }
        LOG.info("ledger replayed: {} lines, {} events", number, records.size());
    }

    private void apply(LedgerLine line) {
        records.computeIfAbsent(line.eventId(), EventRecord::new).apply(line);
        lines.computeIfAbsent(line.eventId(), id -> java.util.Collections.synchronizedList(new ArrayList<>())).add(line);
    }

    /** Told of every new line once it is on disk (not of the lines replayed at start-up). */
    public void onDurable(java.util.function.Consumer<LedgerLine> listener) {
        this.onDurable = listener;
    }

    /** Claims a new id; false when the ledger already knows it (idempotency). */
    public boolean register(String eventId) {
        return records.putIfAbsent(eventId, new EventRecord(eventId)) == null;
    }

    /** Forgets a claimed id whose {@code received} line could not be written. */
    public void unregister(String eventId) {
        if (!lines.containsKey(eventId)) {
            records.remove(eventId);
        }
    }

    /** Appends the line and returns once it is on disk and folded into the event's status. */
    public void record(LedgerLine line) {
        journal.appendDurably(text(line), line);
    }

    /**
     * Appends the line without waiting for the disk. The journal is one ordered file, so the line
     * is on disk before any line {@link #record}ed after it returns: for a step that only a later
     * recorded line acts upon (a vote before its decision, a system's commit before the event's
     * final status).
     */
    public void note(LedgerLine line) {
        journal.append(text(line), line);
    }

    private String text(LedgerLine line) {
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<EventRecord> find(String eventId) {
        return Optional.ofNullable(records.get(eventId)).filter(r -> lines.containsKey(eventId));
    }

    public List<LedgerLine> linesOf(String eventId) {
        List<LedgerLine> of = lines.get(eventId);
        if (of == null) {
            return List.of();
        }
        synchronized (of) {
            return List.copyOf(of);
        }
    }

    public Collection<EventRecord> events() {
        return records.values().stream().filter(r -> lines.containsKey(r.id())).toList();
    }

    @Override
    public void close() {
        journal.close();
    }
}
