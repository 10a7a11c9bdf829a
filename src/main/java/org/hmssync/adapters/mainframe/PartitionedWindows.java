package org.hmssync.adapters.mainframe;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch windows in cluster mode: one window per partition, kept in the shared drop folder
 * ({@code window-p<n>/}), each used only by the hub that holds the partition. Every step of an event
 * (prepare, commit, withdraw, reversal, recovery) runs on that hub, so an event's records are always
 * in reach, and a partition taken over brings its window with it: the new holder opens it from disk
 * as a restarted hub does, and closes what the last holder left open.
 */
public final class PartitionedWindows implements LandingZone, AutoCloseable {

    /** Opens partition {@code p}'s window from its folder. */
    @FunctionalInterface
    public interface Opener {
        BatchWindowDrop open(int partition) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedWindows.class);

    private final ToIntFunction<String> partitionOfEvent;
    private final Opener opener;
    private final Map<Integer, BatchWindowDrop> held = new ConcurrentHashMap<>();

    public PartitionedWindows(ToIntFunction<String> partitionOfEvent, Opener opener) {
        this.partitionOfEvent = partitionOfEvent;
        this.opener = opener;
    }

    /** This hub holds the partition now: its window opens (before any of its events runs here). */
    public void take(int partition) {
        held.computeIfAbsent(partition, p -> {
            try {
                return opener.open(p);
            } catch (IOException e) {
                throw new IllegalStateException("could not open the mainframe window of partition " + p + ": " + e.getMessage(), e);
            }
        });
    }

    /** Nothing of the partition runs here any more: its window closes, on disk as it stands, for the next holder. */
    public void giveBack(int partition) {
        BatchWindowDrop window = held.remove(partition);
        if (window != null) {
            window.close();
            LOG.info("mainframe window of partition {} handed on", partition);
        }
    }

    private BatchWindowDrop of(String id) throws IOException {
        int partition = partitionOfEvent.applyAsInt(id);
        BatchWindowDrop window = held.get(partition);
        if (window == null) {
            throw new IOException("event " + id + " belongs to partition " + partition + ", whose mainframe window this hub does not hold");
        }
        return window;
    }

    @Override
    public void stage(String id, byte[] file) throws IOException {
        of(id).stage(id, file);
    }

    @Override
    public void publish(String id) throws IOException {
        of(id).publish(id);
    }

    @Override
    public boolean withdraw(String id) throws IOException {
        return of(id).withdraw(id);
    }

    @Override
    public void publishReversal(String id, byte[] file) throws IOException {
        of(id).publishReversal(id, file);
    }

    @Override
    public void close() {
        held.keySet().forEach(this::giveBack);
    }
}
