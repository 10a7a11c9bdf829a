package org.hmssync.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Whether the hub can write where it keeps its truth: a real write of a few blocks in each folder
 * (links followed, so a ledger on another disk counts), forced. An empty file needs no blocks and
 * would pass on a full disk.
 */
public final class WriteProbe {

    private static final int PROBE_BYTES = 8192;

    private final List<Path> places;

    /** {@code places}: files or folders the hub writes; a file is probed in its (real) folder. */
    public WriteProbe(List<Path> places) {
        this.places = List.copyOf(places);
    }

    /** Why a place cannot be written now, or empty when every one can. */
    public Optional<String> problem() {
        for (Path place : places) {
            Path folder = folderOf(place);
            try {
                probe(folder);
            } catch (IOException | SecurityException e) {
                return Optional.of("cannot write in " + folder + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return Optional.empty();
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
        Path probe = Files.createTempFile(folder, ".probe", ".tmp");
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
