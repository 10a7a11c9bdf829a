package org.hmssync.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Files on disk before anything depends on them: written, forced, their folder forced. */
public final class DurableFiles {

    private static final Map<Path, FolderSync> FOLDERS = new ConcurrentHashMap<>();

    private DurableFiles() {
    }

    /** Through a temporary name, so the file appears whole or not at all (a restart may read it back). */
    public static void write(Path folder, String name, byte[] content) throws IOException {
        Path temp = folder.resolve("." + name + ".tmp");
        writeForced(temp, content);
        Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(folder);
    }

    /**
     * For a file that nobody reads until its writer has said it is complete (a staged file: only a
     * commit, after a yes vote, moves it on): written under its own name, forced, folder forced. A
     * crash mid-write leaves a file that no vote counted, and the next prepare writes it whole again,
     * so the temporary name and its rename would buy nothing.
     */
    public static void writeInPlace(Path folder, String name, byte[] content) throws IOException {
        writeForced(folder.resolve(name), content);
        syncFolder(folder);
    }

    private static void writeForced(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(content));
            channel.force(false); // fdatasync: the bytes and the size, all a new file needs
        }
    }

    /** An empty marker file: creating it is atomic, so it needs no temporary name, only its folder forced. */
    public static void marker(Path folder, String name) throws IOException {
        markerUnforced(folder, name);
        syncFolder(folder);
    }

    /** The marker alone, for a caller that can make it again after a crash. */
    public static void markerUnforced(Path folder, String name) throws IOException {
        FileChannel.open(folder.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    }

    /** A rename is durable only once its folder is forced; callers at the same moment share one force. */
    public static void syncFolder(Path folder) throws IOException {
        FOLDERS.computeIfAbsent(folder.toAbsolutePath().normalize(), FolderSync::new).force();
    }

    /**
     * Group commit for a folder: a caller whose change happened before a force started rides on
     * that force; the rest elect one of them to force again. One fsync then covers many files.
     */
    private static final class FolderSync {
        private final Path folder;
        private long requested;
        private long covered;
        private boolean forcing;

        FolderSync(Path folder) {
            this.folder = folder;
        }

        void force() throws IOException {
            long ticket;
            synchronized (this) {
                ticket = ++requested;
                while (covered < ticket && forcing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while forcing " + folder, e);
                    }
                }
                if (covered >= ticket) {
                    return;
                }
                forcing = true;
                ticket = requested; // every change registered so far happened before this force
            }
            boolean done = false;
            try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
                channel.force(true);
                done = true;
            } finally {
                synchronized (this) {
                    forcing = false;
                    if (done) {
                        covered = Math.max(covered, ticket);
                    }
                    notifyAll();
                }
            }
        }
    }
}
