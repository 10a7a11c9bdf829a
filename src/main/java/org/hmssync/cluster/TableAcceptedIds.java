package org.hmssync.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.hmssync.journal.GroupCommitJournal;
import org.hmssync.ledger.AcceptedIds;

/**
 * The {@code accepted_ids} table: the first hub to insert an id accepts it. A claim that never got a
 * ledger line (its hub failed or died mid-acceptance) is taken over by the hub that holds its lane
 * key's partition now, or by any hub once it is older than {@code staleMs}.
 */
public final class TableAcceptedIds implements AcceptedIds {

    private final DataSource db;
    private final String hub;
    private final long staleMs;

    public TableAcceptedIds(DataSource db, String hub, long staleMs) {
        this.db = db;
        this.hub = hub;
        this.staleMs = staleMs;
    }

    @Override
    public boolean claim(String eventId, String laneKey) {
        return update("INSERT INTO accepted_ids (event_id, hub, lane_key) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                eventId, hub, laneKey) == 1;
    }

    @Override
    public boolean takeOverStale(String eventId, String laneKey) {
        return update("UPDATE accepted_ids SET hub = ?, lane_key = ?, accepted_at = now() WHERE event_id = ? AND (lane_key = ? OR "
                + "accepted_at < now() - make_interval(secs => " + staleMs / 1000.0 + "))", hub, laneKey, eventId, laneKey) == 1;
    }

    @Override
    public void release(String eventId) {
        update("DELETE FROM accepted_ids WHERE event_id = ? AND hub = ?", eventId, hub);
    }

    private int update(String sql, String... values) {
        try (Connection c = db.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new GroupCommitJournal.JournalException("could not decide an event id in accepted_ids: " + e.getMessage(), e);
        }
    }
}
