package org.hmssync.ledger;

import org.hmssync.journal.FileSink;
import org.hmssync.journal.GroupCommitJournal;
import org.hmssync.journal.LineSink;
import org.hmssync.journal.TableSink;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync ledger: {@code ledger.jsonl}, append-only, every line forced to disk before
 * {@link #record} returns. An event's status is a fold of its lines. The hub keeps in memory only
 * where each event's lines lie in the file, the folds of unfinished events and of the most recently
 * used finished ones; any other event is folded again from the file when asked for. So memory grows
 * by a few bytes a line, not by a copy of the history.
 * <p>
 * Every line is linked into a hash chain as it is written ({@link ChainWriter}), and the chain is
 * checked as the file is read at start: the hub does not append to a ledger whose chain is missing or
 * broken, unless told to accept a broken one. Checkpoint lines belong to the chain, not to an event.
 * <p>
 * In cluster mode the lines are rows of a table every hub appends to ({@link TableSink}): a span is a
 * row's seq, the other hubs' rows are folded in by {@link #follow}, and the database decides who
 * accepts a new id ({@link AcceptedIds}).
 */
public final class SyncLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLedger.class);

    /** How many recently changed events {@link #recentlyChanged} can list. */
    public static final int RECENT_KEPT = 500;

    private final ObjectMapper json;
    /** Every event's lines, as spans of the file, oldest first. Arrays are replaced, never changed. */
    private final Map<String, long[]> spans = new ConcurrentHashMap<>();
    /** Ids {@link #register}ed whose first line is not on disk yet. */
    private final Set<String> claims = ConcurrentHashMap.newKeySet();
    /**
     * Guarded by {@code this}: never dropped, recovery and running events act on them; in the order
     * they first appear in the ledger, so the recovery finishes them in that order (claimant order).
     */
    private final Map<String, EventRecord> unfinished = new java.util.LinkedHashMap<>();
    /** Guarded by {@code this}: finished events' folds, least recently used dropped first. */
    private final Map<String, EventRecord> finished;
    /** Guarded by {@code this}: ids in the order their last line was written, newest last. */
    private final LinkedHashMap<String, Boolean> recent = bounded(RECENT_KEPT, false);
    /** Counts kept as lines are folded: by status, the DLQ's due, batches. */
    private final LedgerTallies tallies = new LedgerTallies();
    private final ChainWriter chain;
    private final GroupCommitJournal<LedgerLine> journal;
    private final List<Consumer<LedgerLine>> onDurable = new CopyOnWriteArrayList<>();
    /** Cluster mode: the table other hubs append to; null for a file. */
    private final TableSink<LedgerLine> shared;
    private final AcceptedIds accepted;

    public SyncLedger(Path file, int groupCommitMax, int cachedEvents, ObjectMapper json) throws IOException {
        this(file, groupCommitMax, cachedEvents, json, ChainSettings.STRICT);
    }

    /** @throws UntrustedLedgerException when the file's hash chain is missing, or broken and not accepted */
    public SyncLedger(Path file, int groupCommitMax, int cachedEvents, ObjectMapper json, ChainSettings settings) throws IOException {
        this(FileSink.open(file), null, AcceptedIds.LOCAL, groupCommitMax, cachedEvents, json, settings);
    }

    /**
     * The ledger in a table several hubs append to (cluster mode): the other hubs' lines are folded
     * in as {@link #follow} finds them, and {@code accepted} decides a repeated id across hubs.
     */
    public SyncLedger(TableSink<LedgerLine> table, AcceptedIds accepted, int groupCommitMax, int cachedEvents, ObjectMapper json,
                      ChainSettings settings) throws IOException {
        this(table, table, accepted, groupCommitMax, cachedEvents, json, settings);
    }

    private SyncLedger(LineSink<LedgerLine> sink, TableSink<LedgerLine> shared, AcceptedIds accepted, int groupCommitMax,
                       int cachedEvents, ObjectMapper json, ChainSettings settings) throws IOException {
        this.json = json;
        this.shared = shared;
        this.accepted = accepted;
        this.finished = bounded(cachedEvents, true);
        this.chain = new ChainWriter(json, settings.signingKey());
        this.journal = new GroupCommitJournal<>(sink, groupCommitMax, chain, (line, span) -> {
            if (!line.isCheckpoint()) {
                apply(line, span);
            }
            onDurable.forEach(listener -> listener.accept(line));
        });
        try {
            chain.continueFrom(replay(sink, settings.acceptBroken()));
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        if (shared != null) {
            shared.followForeign((text, seq) -> {
                LedgerLine line = json.readValue(text, LedgerLine.class);
                if (!line.isCheckpoint()) {
                    apply(line, seq);
                }
            });
        }
    }

    /** Cluster mode: folds in the lines other hubs wrote since the last look (nothing to do on a file). */
    public void follow() {
        if (shared != null) {
            shared.catchUp();
        }
    }

    private static <V> LinkedHashMap<String, V> bounded(int max, boolean accessOrder) {
        return new LinkedHashMap<>(16, 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Folds every line of the file and checks its chain; returns the head the next line links to. */
    private LedgerHead replay(LineSink<LedgerLine> file, boolean acceptBroken) throws IOException {
        ChainCheck check = new ChainCheck();
        file.forEachLine((text, span) -> {
            check.line(text);
            if (text.isBlank()) {
                return;
            }
            try {
                LedgerLine line = json.readValue(text, LedgerLine.class);
                if (!line.isCheckpoint()) {
                    apply(line, span);
                }
            } catch (JsonProcessingException e) {
                LOG.warn("ledger line {} is not whole JSON (a write cut short?); skipped", check.lines());
            }
        });
        check.end();
        trust(file, check, acceptBroken);
        synchronized (this) {
            LOG.info("ledger replayed: {} lines, {} events, {} unfinished; chain head seq {} hash {}", check.lines(), spans.size(),
                    unfinished.size(), check.head().seq(), check.head().hash());
        }
        return check.head();
    }

    private static void trust(LineSink<LedgerLine> sink, ChainCheck check, boolean acceptBroken) {
        String file = sink.location();
        if (check.unchained()) {
            throw new UntrustedLedgerException(file + " has no hash chain (written before tamper evidence); run java -jar hms-sync.jar "
                    + "migrate-ledger " + file + " and put the chained copy it writes in its place");
        }
        Optional<ChainCheck.Break> broken = check.firstBreak();
        if (broken.isEmpty()) {
            return;
        }
        if (!acceptBroken) {
            throw new UntrustedLedgerException(file + " does not verify at " + broken.get() + "; find out who changed it (java -jar "
                    + "hms-sync.jar verify-ledger " + file + "), or start anyway with HMS_LEDGER_ACCEPT_BROKEN=true or --accept-broken-ledger");
        }
        LOG.error("LEDGER CHAIN BROKEN: {} does not verify at {}. Starting anyway because the broken chain was accepted "
                + "(HMS_LEDGER_ACCEPT_BROKEN / --accept-broken-ledger); new lines link to the last line as it stands, and verify-ledger "
                + "will keep reporting this line", file, broken.get());
    }

    /** Folds a line on disk into its event. Runs on the journal's writer (or at start-up), in file order. */
    private synchronized void apply(LedgerLine line, long span) {
        String id = line.eventId();
        long[] before = spans.get(id);
        long[] after = before == null ? new long[] {span} : append(before, span);
        spans.put(id, after);
        claims.remove(id);
        tallies.joined(line);
        EventRecord record = cached(id);
        if (record == null && before != null) {
            record = fold(id, before);   // a finished event dropped from memory: folded from its earlier lines
        }
        if (record == null) {
            record = new EventRecord(id);
        } else {
            tallies.leave(record);
        }
        record.apply(line);
        tallies.enter(record);
        place(record);
        recent.remove(id);
        recent.put(id, Boolean.TRUE);
    }

    private static long[] append(long[] spans, long span) {
        long[] more = Arrays.copyOf(spans, spans.length + 1);
        more[spans.length] = span;
        return more;
    }

    private EventRecord cached(String id) {
        EventRecord record = unfinished.get(id);
        return record != null ? record : finished.get(id);
    }

    private void place(EventRecord record) {
        if (record.status().isFinal()) {
            unfinished.remove(record.id());
            finished.put(record.id(), record);
        } else {
            finished.remove(record.id());
            unfinished.put(record.id(), record);
        }
    }

    private EventRecord fold(String id, long[] of) {
        EventRecord record = new EventRecord(id);
        for (long span : of) {
            record.apply(read(span));
        }
        return record;
    }

    private LedgerLine read(long span) {
        try {
            return json.readValue(journal.read(span), LedgerLine.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a ledger line written by this hub is no longer readable", e);
        }
    }

    /**
     * Adds a listener told of every new line once it is on disk (not of the lines replayed at
     * start-up), on the writer's thread, in file order.
     */
    public void onDurable(Consumer<LedgerLine> listener) {
        onDurable.add(listener);
    }

    /** The last line on disk: its seq, hash and time ({@code GET /ledger/head}). */
    public LedgerHead head() {
        if (shared != null) {
            // other hubs write too: the head is the table's last row, not this hub's last write
            return shared.lastLine().map(chain::headOf).orElse(LedgerHead.GENESIS);
        }
        return chain.head();
    }

    /**
     * Claims a new id; false when the ledger already knows it (idempotency). In cluster mode the
     * database decides between hubs: an id another hub took and never wrote a line for (its
     * acceptance failed or it died) is taken over, at once when that hub took it for the same lane
     * key (the partition is this hub's now, so that hub is done with it), else once the claim is stale.
     * {@code laneKey}: the event's ({@link org.hmssync.event.SyncEvent#laneKey}).
     */
    public boolean register(String eventId, String laneKey) {
        synchronized (this) {
            if (spans.containsKey(eventId) || !claims.add(eventId)) {
                return false;
            }
        }
        try {
            if (accepted.claim(eventId, laneKey)) {
                return true;
            }
            follow();
            if (!spans.containsKey(eventId) && accepted.takeOverStale(eventId, laneKey)) {
                return true;
            }
            claims.remove(eventId);
            if (!spans.containsKey(eventId)) {
                throw new AcceptanceContendedException(eventId);
            }
            return false;
        } catch (RuntimeException e) {
            claims.remove(eventId);
            throw e;
        }
    }

    /** Forgets a claimed id whose {@code received} line could not be written. */
    public void unregister(String eventId) {
        claims.remove(eventId);
        accepted.release(eventId);
    }

    /** Appends the line and returns once it is on disk and folded into the event's status. */
    public void record(LedgerLine line) {
        LedgerLine stamped = stamped(line);
        journal.appendDurably(text(stamped), stamped);
    }

    /**
     * Appends the line without waiting for the disk. The journal is one ordered file, so the line
     * is on disk before any line {@link #record}ed after it returns: for a step that only a later
     * recorded line acts upon (a vote before its decision, a system's commit before the event's
     * final status).
     */
    public void note(LedgerLine line) {
        LedgerLine stamped = stamped(line);
        journal.append(text(stamped), stamped);
    }

    /** A line of a batched event carries its batch (its first line brings it; the rest get it here). */
    private LedgerLine stamped(LedgerLine line) {
        return line.inBatch(tallies.batchOf(line.eventId()).orElse(null));
    }

    /** The batch the event belongs to, if any. */
    public Optional<String> batchOf(String eventId) {
        return tallies.batchOf(eventId);
    }

    /** The batch's events in the order they were received; empty for a batch the ledger does not know. */
    public List<String> eventsOf(String batchId) {
        return lookedUp(() -> tallies.eventsOf(batchId), List::isEmpty);
    }

    /** The batch's counts (events, by status, by system and state, committed and undone); empty for an unknown batch. */
    public Optional<BatchCounts> batchCounts(String batchId) {
        return lookedUp(() -> tallies.batchCounts(batchId), Optional::isEmpty);
    }

    /** Every batch the ledger knows, in the order each first appeared. */
    public List<String> batchIds() {
        return tallies.batchIds();
    }

    private String text(LedgerLine line) {
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event's status as its lines on disk say; empty when it has none. */
    public Optional<EventRecord> find(String eventId) {
        return lookedUp(() -> findHere(eventId), Optional::isEmpty);
    }

    /**
     * A lookup, made again once the other hubs' rows are read when it found nothing (cluster mode):
     * another hub may have written what it asks for since the last look.
     */
    private <T> T lookedUp(java.util.function.Supplier<T> lookup, java.util.function.Predicate<T> nothing) {
        T found = lookup.get();
        if (shared == null || !nothing.test(found)) {
            return found;
        }
        follow();
        return lookup.get();
    }

    private synchronized Optional<EventRecord> findHere(String eventId) {
        EventRecord record = cached(eventId);
        if (record == null) {
            long[] of = spans.get(eventId);
            if (of == null) {
                return Optional.empty();
            }
            record = fold(eventId, of);
            place(record);
        }
        return Optional.of(record);
    }

    /** The event's lines as written, oldest first. */
    public List<LedgerLine> linesOf(String eventId) {
        long[] of = spans.get(eventId);
        if (of == null) {
            return List.of();
        }
        List<LedgerLine> lines = new ArrayList<>(of.length);
        for (long span : of) {
            lines.add(read(span));
        }
        return lines;
    }

    /** How many events the ledger holds in each status now, as its lines on disk say. */
    public StatusCounts counts() {
        return tallies.counts();
    }

    /** Events whose last line leaves them short of a final status (what recovery finishes). */
    public synchronized List<EventRecord> unfinished() {
        return List.copyOf(unfinished.values());
    }

    /** Ids of the events final by failure: each belongs in the DLQ with a dead_letter line. */
    public List<String> failedFinals() {
        return tallies.failedFinals();
    }

    /** Up to {@code limit} (at most {@link #RECENT_KEPT}) events, the one changed last first. */
    public List<EventRecord> recentlyChanged(int limit) {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(recent.keySet());
        }
        List<EventRecord> records = new ArrayList<>(Math.min(limit, ids.size()));
        for (int i = ids.size() - 1; i >= 0 && records.size() < limit; i--) {
            find(ids.get(i)).ifPresent(records::add);
        }
        return records;
    }

    @Override
    public void close() {
        journal.close();
    }
}
