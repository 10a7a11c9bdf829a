package org.hmssync.adapters.mainframe;

import org.hmssync.journal.DurableFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mainframe's landing zone under {@code <data>/mainframe}. Every step is atomic and safe to
 * repeat:
 * <ul>
 * <li>{@code staging/} prepared files, invisible to the batch;</li>
 * <li>{@code outbox/} what the batch reads: {@code <id>.dat}, then the marker {@code <id>.dat.done};</li>
 * <li>{@code sent/} a hard link to every published file, the hub's memory of what it handed over
 * after the batch has moved the outbox copy away;</li>
 * <li>{@code withdrawn/} files taken back from the outbox before the batch picked them up.</li>
 * </ul>
 */
public final class MainframeDrop implements LandingZone {

    private static final Logger LOG = LoggerFactory.getLogger(MainframeDrop.class);
    private static final String DAT = ".dat";
    private static final String DONE = ".done";
    private static final String REV = ".rev";

    private final Path staging;
    private final Path outbox;
    private final Path sent;
    private final Path withdrawn;

    public MainframeDrop(Path root) throws IOException {
        this.staging = Files.createDirectories(root.resolve("staging"));
        this.outbox = Files.createDirectories(root.resolve("outbox"));
        this.sent = Files.createDirectories(root.resolve("sent"));
        this.withdrawn = Files.createDirectories(root.resolve("withdrawn"));
        restoreMarkers();
    }

    /**
     * A marker's folder is not forced when it is created: the {@code sent/} link, forced first, is
     * the durable record that the file was published. Markers a crash took from the disk are made
     * again here, before the hub runs anything, for every outbox file that {@code sent/} knows.
     */
    private void restoreMarkers() throws IOException {
        int restored = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(outbox, "*" + DAT)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Files.exists(outbox.resolve(name + DONE)) && Files.exists(sent.resolve(name))) {
                    DurableFiles.markerUnforced(outbox, name + DONE);
                    restored++;
                }
            }
        }
        if (restored > 0) {
            DurableFiles.syncFolder(outbox);
            LOG.warn("{} published mainframe files had lost their marker (a crash); markers made again", restored);
        }
    }

    /** Prepare: the rendered file waits in staging, complete and on disk. */
    @Override
    public void stage(String id, byte[] file) throws IOException {
        DurableFiles.writeInPlace(staging, id + DAT, file);
    }

    /** Commit: staging to outbox in one rename, remembered in sent/, then the marker. */
    @Override
    public void publish(String id) throws IOException {
        publishStaged(id + DAT);
    }

    /**
     * Rollback, first half: takes back what the batch has not picked up yet.
     * @return true when the batch already took the file, so a reversal must follow
     */
    @Override
    public boolean withdraw(String id) throws IOException {
        String name = id + DAT;
        if (Files.exists(sent.resolve(id + REV + DAT))) {
            return false;
        }
        Files.deleteIfExists(staging.resolve(name));
        boolean claimed = false;
        try {
            Files.move(outbox.resolve(name), withdrawn.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            claimed = true;
            LOG.info("mainframe file {} withdrawn before pickup", name);
        } catch (NoSuchFileException notThere) {
            claimed = Files.exists(withdrawn.resolve(name));
        }
        if (claimed) {
            Files.deleteIfExists(outbox.resolve(name + DONE));
            Files.deleteIfExists(sent.resolve(name));
            DurableFiles.syncFolder(outbox);
            DurableFiles.syncFolder(sent);
            return false;
        }
        return Files.exists(sent.resolve(name));
    }

    /** Rollback, second half: the reversal file, published like any other. */
    @Override
    public void publishReversal(String id, byte[] file) throws IOException {
        String name = id + REV + DAT;
        if (Files.exists(sent.resolve(name))) {
            return;
        }
        DurableFiles.write(staging, name, file);
        publishStaged(name);
    }

    private void publishStaged(String name) throws IOException {
        Path staged = staging.resolve(name);
        Path published = outbox.resolve(name);
        if (Files.exists(staged)) {
            Files.move(staged, published, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // before the link: POSIX does not order the two folders on disk, and a sent/ link that
            // outlives a lost rename would make a rollback reverse a record the batch never got
            DurableFiles.syncFolder(outbox);
        }
        if (Files.exists(published)) {
            try {
                Files.createLink(sent.resolve(name), published);
            } catch (FileAlreadyExistsException again) {
                // a repeated commit: already remembered (forced again below, in case the first stopped short of it)
            }
            DurableFiles.syncFolder(sent);
            DurableFiles.markerUnforced(outbox, name + DONE); // not forced: restoreMarkers() makes it again after a crash
            LOG.debug("mainframe file {} published", name);
            return;
        }
        if (!Files.exists(sent.resolve(name))) {
            throw new NoSuchFileException(name, null, "nothing prepared to publish");
        }
    }
}
