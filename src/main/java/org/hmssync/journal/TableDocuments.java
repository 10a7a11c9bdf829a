package org.hmssync.journal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * Documents of one kind in the shared {@code documents} table (cluster mode). Every change takes the
 * next {@code version} under a transaction-wide advisory lock, so versions follow commit order with no
 * gap and {@link #changes} misses nothing; a removed document keeps its row with a null body.
 */
public final class TableDocuments implements Documents {

    private final DataSource db;
    private final String kind;
    /** Guarded by {@code this}: every change up to it was seen. */
    private long seen;

    public TableDocuments(DataSource db, String kind) {
        this.db = db;
        this.kind = kind;
    }

    @Override
    public String name() {
        return "documents of kind " + kind;
    }

    @Override
    public synchronized void forEach(BiConsumer<String, byte[]> visitor) throws IOException {
        seen = visit(0, (id, body) -> {
            if (body != null) {
                visitor.accept(id, body);
            }
        });
    }

    @Override
    public synchronized void changes(BiConsumer<String, byte[]> visitor) {
        try {
            seen = visit(seen, visitor);
        } catch (IOException e) {
            throw new GroupCommitJournal.JournalException("could not read " + name() + ": " + e.getMessage(), e);
        }
    }

    private long visit(long after, BiConsumer<String, byte[]> visitor) throws IOException {
        long last = after;
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT id, body, version FROM documents WHERE kind = ? AND version > ? ORDER BY version")) {
            select.setString(1, kind);
            select.setLong(2, after);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    visitor.accept(rows.getString(1), rows.getBytes(2));
                    last = rows.getLong(3);
                }
            }
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
        return last;
    }

    @Override
    public void put(String id, byte[] body) throws IOException {
        change(id, body);
    }

    @Override
    public void remove(String id) throws IOException {
        change(id, null);
    }

    private void change(String id, byte[] body) throws IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('hms-sync:documents'))")) {
                    lock.execute();
                }
                try (PreparedStatement upsert = c.prepareStatement("INSERT INTO documents (kind, id, body, version) "
                        + "SELECT ?, ?, ?, COALESCE(MAX(version), 0) + 1 FROM documents "
                        + "ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body, version = EXCLUDED.version")) {
                    upsert.setString(1, kind);
                    upsert.setString(2, id);
                    upsert.setBytes(3, body);
                    upsert.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
