package org.hmssync.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines appended to a table that several hubs share (cluster mode). A line's span is its {@code seq}:
 * 1, 2, 3... with no gap, in commit order, because each batch is written under one transaction-wide
 * advisory lock and numbered after the last row. So a hub that has seen every row up to N has seen
 * all there is up to N, and the chain links each batch to the line before it, whoever wrote that.
 * <p>
 * The rows other hubs write ("foreign" lines) reach {@link #followForeign}'s visitor in seq order,
 * always before this hub's own later lines reach the journal's {@code afterDurable}: one fold, in
 * one order, on every hub.
 */
public final class TableSink<T> implements LineSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(TableSink.class);

    private final DataSource db;
    private final String table;
    private final String hub;
    private final Function<T, String> keyOf;
    /** Held while lines are delivered (foreign or own), so each is delivered once and in seq order. */
    private final ReentrantLock delivery = new ReentrantLock();
    /** Guarded by {@code delivery}: every row up to it was delivered, but those in {@link #missed}. */
    private long delivered;
    /**
     * Guarded by {@code delivery}: ranges of other hubs' rows (after, before) that could not be read
     * just after a batch of this hub's own was committed; the next {@link #catchUp} reads them first.
     */
    private final List<long[]> missed = new ArrayList<>();
    private volatile GroupCommitJournal.LineVisitor foreign = (text, span) -> { };

    /**
     * {@code table}: one of the migrations' line tables (a name from code, never from input);
     * {@code hub}: this hub's instance id, kept with each row; {@code keyOf}: the event id a line is about.
     */
    public TableSink(DataSource db, String table, String hub, Function<T, String> keyOf) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.db = db;
        this.table = table;
        this.hub = hub;
        this.keyOf = keyOf;
    }

    /** Where the lines other hubs write are told, in seq order, with their seq as span. */
    public void followForeign(GroupCommitJournal.LineVisitor visitor) {
        this.foreign = visitor;
    }

    @Override
    public String name() {
        return "table " + table;
    }

    @Override
    public void forEachLine(GroupCommitJournal.LineVisitor visitor) throws IOException {
        delivery.lock();
        try {
            visit(0, Long.MAX_VALUE, visitor, seq -> delivered = seq);
        } finally {
            delivery.unlock();
        }
    }

    /** Tells the foreign visitor of every row written since the last look. */
    public void catchUp() {
        delivery.lock();
        try {
            while (!missed.isEmpty()) {
                long[] range = missed.get(0);
                visit(range[0], range[1], foreign, seq -> range[0] = seq);
                missed.remove(0);
            }
            visit(delivered, Long.MAX_VALUE, foreign, seq -> delivered = seq);
        } catch (IOException e) {
            throw new GroupCommitJournal.JournalException("could not read " + name() + ": " + e.getMessage(), e);
        } finally {
            delivery.unlock();
        }
    }

    /**
     * Visits the rows after {@code after} and before {@code before}, telling {@code progress} of each
     * one's seq once it is visited, so rows a failure cut short are not visited twice. A row its
     * visitor cannot take is logged and passed (a later hub's line this one cannot read must not stop
     * it from reading the rest).
     */
    private void visit(long after, long before, GroupCommitJournal.LineVisitor visitor, java.util.function.LongConsumer progress)
            throws IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);   // a cursor: the rows stream instead of filling memory at once
            try (PreparedStatement select = c.prepareStatement("SELECT seq, line FROM " + table + " WHERE seq > ? AND seq < ? ORDER BY seq")) {
                select.setFetchSize(2_000);
                select.setLong(1, after);
                select.setLong(2, before);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long seq = rows.getLong(1);
                        try {
                            visitor.line(rows.getString(2), seq);
                        } catch (IOException | RuntimeException e) {
                            LOG.error("{}: row {} could not be taken in and is passed over: {}", name(), seq, e.toString());
                        }
                        progress.accept(seq);
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void write(List<byte[]> raw, List<T> items, GroupCommitJournal.LineSeal<T> seal, GroupCommitJournal.AfterDurable<T> afterDurable)
            throws IOException {
        delivery.lock();
        try {
            long first;
            try (Connection c = db.getConnection()) {
                first = insert(c, raw, items, seal);
            }
            try {
                visit(delivered, first, foreign, seq -> delivered = seq);
            } catch (IOException e) {
                // the batch is committed: it must not be reported as failed; the rows before it are read later
                missed.add(new long[] {delivered, first});
                LOG.warn("{}: could not read other hubs' rows before seq {} ({}); read at the next look", name(), first, e.getMessage());
            }
            for (int i = 0; i < items.size(); i++) {
                afterDurable.written(items.get(i), first + i);
            }
            delivered = first + items.size() - 1;
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            delivery.unlock();
        }
    }

    /** One transaction: the table's lock, the last row, the batch sealed after it; returns the first new seq. */
    private long insert(Connection c, List<byte[]> raw, List<T> items, GroupCommitJournal.LineSeal<T> seal) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "hms-sync:" + table);
                lock.execute();
            }
            long last = 0;
            String lastLine = null;
            try (PreparedStatement head = c.prepareStatement("SELECT seq, line FROM " + table + " ORDER BY seq DESC LIMIT 1");
                 ResultSet row = head.executeQuery()) {
                if (row.next()) {
                    last = row.getLong(1);
                    lastLine = row.getString(2);
                }
            }
            seal.continueAfter(lastLine);
            int n = raw.size();
            Long[] seqs = new Long[n];
            String[] keys = new String[n];
            String[] lines = new String[n];
            for (int i = 0; i < n; i++) {
                seqs[i] = last + 1 + i;
                keys[i] = keyOf.apply(items.get(i));
                lines[i] = new String(seal.seal(raw.get(i), items.get(i)), StandardCharsets.UTF_8);
            }
            Array seqArray = c.createArrayOf("bigint", seqs);
            Array keyArray = c.createArrayOf("text", keys);
            Array lineArray = c.createArrayOf("text", lines);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                    + " (seq, hub, event_id, line) SELECT s, ?, k, l FROM unnest(?, ?, ?) AS t(s, k, l)")) {
                insert.setString(1, hub);
                insert.setArray(2, seqArray);
                insert.setArray(3, keyArray);
                insert.setArray(4, lineArray);
                insert.executeUpdate();
            }
            c.commit();
            seal.kept();
            return last + 1;
        } catch (SQLException | RuntimeException e) {
            seal.dropped();
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the pool drops it
            }
            throw e;
        }
    }

    /** The table's last line now, whoever wrote it. */
    public Optional<String> lastLine() {
        try (Connection c = db.getConnection();
             PreparedStatement head = c.prepareStatement("SELECT line FROM " + table + " ORDER BY seq DESC LIMIT 1");
             ResultSet row = head.executeQuery()) {
            return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new GroupCommitJournal.JournalException("could not read " + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String read(long span) {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT line FROM " + table + " WHERE seq = ?")) {
            select.setLong(1, span);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new GroupCommitJournal.JournalException(name() + " has no line " + span, null);
                }
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new GroupCommitJournal.JournalException("could not read " + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the pool belongs to the hub and closes with it
    }
}
