package org.hmssync.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who works on what in a cluster. The work is cut into units (the partitions, and the intake that
 * sorts {@code hms.sync.events} onto them); a hub holds a unit as a PostgreSQL advisory lock on its
 * own database session, so no two hubs ever hold one unit, and a hub that dies (its session ends)
 * lets go of all of its units at once. Every second each hub beats in the {@code hubs} table and
 * evens the units out: it takes free units up to its share (units / live hubs), gives back what is
 * above it (a hub joined), and takes any unit left free for two beats (a hub died). A hub whose
 * session breaks stops all its work at once, before anything else could take it over.
 */
public final class PartitionLeases implements AutoCloseable {

    /** What holding a unit means: start its work, or stop it and return once nothing of it runs. */
    public interface Work {
        /** The unit's work could start now (checked with its lock held, before anything counts it as this hub's). */
        boolean ready(int unit);

        void take(int unit);

        /** Nothing of the unit is queued or running here now: the one to give back when the hub holds too many. */
        boolean idle(int unit);

        /** Stops the unit's work; true once nothing of it runs (then the lock goes), false to keep it (it did not drain in time). */
        boolean giveBack(int unit, long drainMs);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeases.class);
    /** The first key of every lock the hub takes: its units are (LOCK_CLASS, unit). */
    private static final int LOCK_CLASS = 0x484d5353;   // "HMSS"
    /** A unit chosen idle that still has work after this is kept (and the beat goes on: it must not stall). */
    private static final long GIVE_BACK_DRAIN_MS = 5_000;
    /** The session's reads and writes give up after this: a half-open connection must not hang the beat. */
    private static final int SESSION_SOCKET_TIMEOUT_S = 10;
    /** The lock session's application_name, so a hub can tell whether another of its name is connected. */
    private static final String SESSION_NAME_PREFIX = "hms-sync-leases-";

    private final String url;
    /** Server options for the lock session (keepalive probes), if any. */
    private final java.util.Optional<String> sessionOptions;
    private final String instanceId;
    private final int units;
    private final long liveMs;
    private final Work work;
    /** Only the beat's thread touches it (and close, after the beat stopped). */
    private Connection session;
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    /** Beat thread only: units seen free on the last beat. */
    private Set<Integer> freeBefore = Set.of();
    /** Beat thread only: the duplicate name was logged. */
    private boolean duplicateReported;
    private final ScheduledExecutorService beat;

    /**
     * {@code units}: how many there are; {@code takeoverMs}: a hub silent for half of it is counted
     * out, so its units are taken within it.
     */
    public PartitionLeases(String url, java.util.Optional<String> sessionOptions, String instanceId, int units, long takeoverMs, Work work,
                           ScheduledExecutorService beat) {
        this.url = url;
        this.sessionOptions = sessionOptions;
        this.instanceId = instanceId;
        this.units = units;
        this.liveMs = Math.max(2_000, takeoverMs / 2);
        this.work = work;
        this.beat = beat;
    }

    public void start() {
        beat.scheduleWithFixedDelay(this::beatQuietly, 0, 1, TimeUnit.SECONDS);
    }

    /** The units this hub holds now. */
    public boolean holds(int unit) {
        return held.contains(unit);
    }

    public Set<Integer> held() {
        return Set.copyOf(held);
    }

    private void beatQuietly() {
        try {
            beatOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.error("cluster: lost the database session that holds this hub's units ({}); stopping all their work", e.getMessage());
            dropAll();
        }
    }

    private void beatOnce() throws SQLException {
        if (session == null || session.isClosed()) {
            java.util.Properties options = new java.util.Properties();
            options.setProperty("socketTimeout", String.valueOf(SESSION_SOCKET_TIMEOUT_S));
            options.setProperty("tcpKeepAlive", "true");
            options.setProperty("ApplicationName", SESSION_NAME_PREFIX + instanceId);
            sessionOptions.ifPresent(server -> options.setProperty("options", server));
            session = DriverManager.getConnection(url, options);
            session.setAutoCommit(true);
            if (anotherLiveHubNamed(instanceId)) {
                closeSession();
                if (!duplicateReported) {
                    LOG.error("cluster: another hub named {} is alive (HMS_INSTANCE_ID must differ between hubs): this hub takes no work "
                            + "until it is gone", instanceId);
                    duplicateReported = true;
                }
                return;
            }
            duplicateReported = false;
            try (PreparedStatement join = session.prepareStatement("INSERT INTO hubs (instance_id, lock_pid) VALUES (?, pg_backend_pid()) "
                    + "ON CONFLICT (instance_id) DO UPDATE SET lock_pid = EXCLUDED.lock_pid, started_at = now(), heartbeat_at = now()")) {
                join.setString(1, instanceId);
                join.executeUpdate();
            }
            LOG.info("cluster: hub {} joined", instanceId);
        }
        int live;
        try (PreparedStatement heartbeat = session.prepareStatement("UPDATE hubs SET heartbeat_at = now() WHERE instance_id = ?")) {
            heartbeat.setString(1, instanceId);
            heartbeat.executeUpdate();
        }
        try (PreparedStatement count = session.prepareStatement(
                "SELECT count(*) FROM hubs WHERE heartbeat_at > now() - make_interval(secs => ?)")) {
            count.setDouble(1, liveMs / 1000.0);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                live = Math.max(1, row.getInt(1));
            }
        }
        int share = (units + live - 1) / live;
        Set<Integer> freeNow = new TreeSet<>();
        boolean took = false;
        for (int i = 0; i < units; i++) {
            int unit = (i + Math.floorMod(instanceId.hashCode(), units)) % units;   // hubs start their search at different units
            if (held.contains(unit)) {
                continue;
            }
            boolean wanted = held.size() < share || freeBefore.contains(unit);
            if (!wanted) {
                if (isFree(unit)) {
                    freeNow.add(unit);
                }
                continue;
            }
            if (tryLock(unit)) {
                if (!work.ready(unit)) {
                    unlock(unit);   // never counted as held: nothing may run for it here (a later beat tries again)
                    continue;
                }
                held.add(unit);
                took = true;
                LOG.info("cluster: hub {} takes unit {} (holds {}, share {} of {} among {} hubs)", instanceId, unit, held.size(), share, units, live);
                try {
                    work.take(unit);
                } catch (RuntimeException e) {
                    LOG.error("cluster: could not start unit {}: {}", unit, e.getMessage());
                    release(unit);
                }
            }
        }
        freeBefore = freeNow;
        // a hub that just took units left free (a takeover) gives none back in the same beat: the dead hub still counts as live
        if (!took && held.size() > share) {
            // an idle unit: one with work (a held event, say) would stop and restart its consumer beat after beat
            java.util.Optional<Integer> idle = held.stream().filter(work::idle).max(Integer::compare);
            if (idle.isEmpty()) {
                return;
            }
            int unit = idle.get();
            if (work.giveBack(unit, GIVE_BACK_DRAIN_MS)) {
                release(unit);
                LOG.info("cluster: hub {} gives unit {} back (share {} among {} hubs)", instanceId, unit, share, live);
            }
        }
    }

    /** A unit nobody holds (checked without taking it). */
    private boolean isFree(int unit) throws SQLException {
        try (PreparedStatement locked = session.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2 "
                        + "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            locked.setLong(1, Integer.toUnsignedLong(LOCK_CLASS));
            locked.setLong(2, unit);
            try (ResultSet row = locked.executeQuery()) {
                row.next();
                return row.getInt(1) == 0;
            }
        }
    }

    /** A hub of this name whose lock session is connected now: two hubs must never share a name. */
    private boolean anotherLiveHubNamed(String name) throws SQLException {
        try (PreparedStatement other = session.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE application_name = left(?, 63) AND pid <> pg_backend_pid() AND datname = current_database()")) {
            other.setString(1, SESSION_NAME_PREFIX + name);
            try (ResultSet row = other.executeQuery()) {
                row.next();
                return row.getInt(1) > 0;
            }
        }
    }

    private boolean tryLock(int unit) throws SQLException {
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, unit);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private void release(int unit) {
        held.remove(unit);
        unlock(unit);
    }

    private void unlock(int unit) {
        try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, LOCK_CLASS);
            unlock.setInt(2, unit);
            unlock.execute();
        } catch (SQLException e) {
            LOG.warn("cluster: could not release unit {} ({}); it goes with the session", unit, e.getMessage());
        }
    }

    /** The session is gone, so are the locks: stop every unit's work at once, and begin again on the next beat. */
    private void dropAll() {
        for (Integer unit : Set.copyOf(held)) {
            work.giveBack(unit, 0);
            held.remove(unit);
        }
        closeSession();
    }

    private void closeSession() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (SQLException ignored) {
            // closing a broken session: the database has let go already
        }
        session = null;
    }

    /** At the start of a stop: no unit is taken or given back any more. */
    public void stopBeating() {
        beat.shutdownNow();
        try {
            beat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** At the end of a stop, after the work stopped: the session closes and every lock with it. */
    @Override
    public void close() {
        stopBeating();
        held.clear();
        closeSession();
    }
}
