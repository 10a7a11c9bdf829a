package org.hmssync.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness is DOWN while the hub cannot write where it keeps its truth: the ledger, the events,
 * the DLQ, the mainframe drop. Each folder (links followed, so a ledger on another disk counts)
 * gets a real write of a few blocks, forced: an empty file needs no blocks and passes on a full disk.
 */
public final class DataFolderHealthCheck extends AbstractHealthCheck {

    private static final int PROBE_BYTES = 8192;

    private final List<Path> places;

    /** {@code places}: files or folders the hub writes; a file is probed in its (real) folder. */
    public DataFolderHealthCheck(List<Path> places) {
        super("hms", "data-folder");
        this.places = List.copyOf(places);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        for (Path place : places) {
            Path folder = folderOf(place);
            try {
                probe(folder);
            } catch (IOException | SecurityException e) {
                builder.message("cannot write in " + folder + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))
                        .down();
                return;
            }
        }
        builder.up();
    }

    private static Path folderOf(Path place) {
        try {
            Path real = place.toRealPath();
            return Files.isDirectory(real) ? real : real.getParent();
        } catch (IOException e) {
            return Files.isDirectory(place) || place.getParent() == null ? place : place.getParent();
        }
    }

    private static void probe(Path folder) throws IOException {
        Path probe = Files.createTempFile(folder, ".health", ".tmp");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(PROBE_BYTES);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
