package org.hmssync.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parked events, one file each in {@code dlq/}, written whole or not at all. */
public final class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    private final Path folder;
    private final ObjectMapper json;
    private final Map<String, ParkedEvent> parked = new ConcurrentHashMap<>();

    public DeadLetterStore(Path folder, ObjectMapper json) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.json = json;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                try {
                    ParkedEvent event = json.readValue(file.toFile(), ParkedEvent.class);
                    parked.put(event.id(), event);
                } catch (IOException e) {
                    LOG.warn("unreadable DLQ file {} left in place: {}", file.getFileName(), e.getMessage());
                }
            }
        }
    }

    /**
     * Writes {@code <id>.json} through a temporary file, forced, renamed over, and the folder
     * forced: once this returns the entry survives a crash, so the ledger may say it is parked.
     */
    public void park(ParkedEvent event) {
        Path target = folder.resolve(event.id() + ".json");
        Path temp = folder.resolve("." + event.id() + ".json.tmp");
        try {
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(event));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a folder we cannot write to: the temporary file was never made either
            }
            throw new UncheckedIOException("could not park " + event.id() + " in the DLQ", e);
        }
        parked.put(event.id(), event);
    }

    public Optional<ParkedEvent> find(String id) {
        return Optional.ofNullable(parked.get(id));
    }

    /** How many events are parked now. */
    public int size() {
        return parked.size();
    }

    public List<ParkedEvent> list() {
        return parked.values().stream().sorted(Comparator.comparing(ParkedEvent::parkedAt)).toList();
    }

    /** Takes an event off the list once a replay made it final; the file goes with it. */
    public void release(String id) {
        // called for every committed event: only a parked one has a file to remove
        if (parked.remove(id) == null) {
            return;
        }
        try {
            Files.deleteIfExists(folder.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
