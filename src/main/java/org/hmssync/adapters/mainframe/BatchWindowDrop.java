package org.hmssync.adapters.mainframe;

import org.hmssync.journal.DurableFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hmssync.journal.GroupCommitJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HMS_MAINFRAME_MODE=window: committed records gather in an open window and are published as one
 * file {@code batch-<UTC timestamp>-<seq>.dat} (+ {@code .done}) with one header and one trailer when
 * the window reaches its size or its age. The window is a journal on disk ({@code window/open-<seq>.records},
 * every line forced before the commit returns), so a crash loses no committed record and a restart
 * finds the window as it was. An undo before the close takes the records out; after it, a reversal
 * goes into the next window.
 *
 * <p>Prepared records wait in a second journal, {@code window/staged.records}, rather than one
 * file each: a yes vote costs a share of a group commit, not a file and two forces. It is
 * rewritten with only what is still staged whenever a window closes (and at start-up).
 */
public final class BatchWindowDrop implements LandingZone, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWindowDrop.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final String REVERSAL = "#rev";

    private final Path staging;
    private final Path outbox;
    private final Path sent;
    private final Path windows;
    private final Path publishedIndex;
    private final MainframeRecords records;
    private final Charset charset;
    private final int maxRecords;
    private final long maxAgeMs;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Whether {@link #close} shuts the timer down (it is this window's own) or only stops this window's tick. */
    private final boolean ownsTimer;
    private final java.util.concurrent.ScheduledFuture<?> tick;
    /** Between "batch-<stamp>-" and the seq in a file's name: empty for a hub's one window. */
    private final String namePart;

    private final Map<String, String> open = new LinkedHashMap<>();
    /** Prepared, not yet committed or withdrawn: event id (or id#rev) to its record. */
    private final Map<String, String> staged = new HashMap<>();
    private final Path stagedPath;
    private GroupCommitJournal<Void> stagedJournal;
    private final Set<String> published = new HashSet<>();
    private long seq;
    private Instant openedAt;
    private GroupCommitJournal<Void> journal;

    /** {@code timer}: one thread (Camel's, in the hub) that closes a window once it is {@code maxAgeMs} old; closed with the window. */
    public BatchWindowDrop(Path root, MainframeRecords records, Charset charset, int maxRecords, long maxAgeMs, Clock clock,
                           ScheduledExecutorService timer) throws IOException {
        this(root, "window", "", records, charset, maxRecords, maxAgeMs, clock, timer, true);
    }

    /**
     * One of several windows in one drop (cluster mode: one per partition, see {@link PartitionedWindows}):
     * its state in {@code root/<folder>}, its files named {@code batch-<stamp>-<namePart><seq>.dat};
     * {@code timer} is shared, and outlives this window.
     */
    public BatchWindowDrop(Path root, String folder, String namePart, MainframeRecords records, Charset charset, int maxRecords,
                           long maxAgeMs, Clock clock, ScheduledExecutorService timer) throws IOException {
        this(root, folder, namePart, records, charset, maxRecords, maxAgeMs, clock, timer, false);
    }

    private BatchWindowDrop(Path root, String folder, String namePart, MainframeRecords records, Charset charset, int maxRecords,
                            long maxAgeMs, Clock clock, ScheduledExecutorService timer, boolean ownsTimer) throws IOException {
        this.namePart = namePart;
        this.ownsTimer = ownsTimer;
        this.staging = Files.createDirectories(root.resolve("staging"));
        this.outbox = Files.createDirectories(root.resolve("outbox"));
        this.sent = Files.createDirectories(root.resolve("sent"));
        this.windows = Files.createDirectories(root.resolve(folder));
        this.publishedIndex = windows.resolve("published.ids");
        this.stagedPath = windows.resolve("staged.records");
        this.records = records;
        this.charset = charset;
        this.maxRecords = maxRecords;
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
        recover();
        this.timer = timer;
        long every = Math.max(100, Math.min(1000, maxAgeMs / 4));
        this.tick = timer.scheduleWithFixedDelay(this::closeIfOld, every, every, TimeUnit.MILLISECONDS);
    }

    /** Prepare: the record is on disk in the staged journal before the yes vote. */
    @Override
    public void stage(String id, byte[] file) throws IOException {
        String record = recordOf(file);
        GroupCommitJournal<Void>.Ticket durable;
        synchronized (this) {
            if (open.containsKey(id) || published.contains(id)) {
                return; // prepared again after its commit: nothing to stage
            }
            staged.put(id, record);
            durable = stagedJournal.append("? " + id + " " + record, null);
        }
        await(durable);
    }

    /**
     * Commit. The window changes under the lock and its journal line is queued in the same order;
     * the caller then waits, outside the lock, for the group commit that puts the line on disk.
     */
    @Override
    public void publish(String id) throws IOException {
        GroupCommitJournal<Void>.Ticket durable;
        synchronized (this) {
            if (open.containsKey(id) || published.contains(id)) {
                return;
            }
            String record = staged.get(id);
            if (record == null) {
                throw new NoSuchFileException(id + ".dat", null, "nothing prepared to publish");
            }
            durable = add(id, record);
            unstage(id);
        }
        await(durable);
        closeIfFull();
    }

    /** Forgets a staged record; its line need not wait: a record still staged after a crash is harmless. */
    private void unstage(String id) {
        if (staged.remove(id) != null) {
            stagedJournal.append("x " + id, null);
        }
    }

    @Override
    public boolean withdraw(String id) throws IOException {
        GroupCommitJournal<Void>.Ticket durable;
        synchronized (this) {
            unstage(id);
            if (!open.containsKey(id)) {
                return published.contains(id) && !published.contains(id + REVERSAL) && !open.containsKey(id + REVERSAL);
            }
            durable = journal.append("- " + id, null);
            open.remove(id);
        }
        await(durable);
        LOG.info("event {} withdrawn from the open mainframe window", id);
        return false;
    }

    @Override
    public void publishReversal(String id, byte[] file) throws IOException {
        String key = id + REVERSAL;
        GroupCommitJournal<Void>.Ticket durable;
        synchronized (this) {
            if (open.containsKey(key) || published.contains(key)) {
                return;
            }
            durable = add(key, recordOf(file));
        }
        await(durable);
        closeIfFull();
    }

    private GroupCommitJournal<Void>.Ticket add(String key, String record) {
        open.put(key, record);
        return journal.append("+ " + key + " " + record, null);
    }

    private synchronized void closeIfFull() throws IOException {
        if (open.size() >= maxRecords) {
            closeWindow();
        }
    }

    private static void await(GroupCommitJournal<Void>.Ticket durable) throws IOException {
        try {
            durable.await();
        } catch (GroupCommitJournal.JournalException e) {
            throw new IOException("could not write the mainframe window: " + e.getMessage(), e);
        }
    }

    private synchronized void closeIfOld() {
        try {
            if (!open.isEmpty() && clock.millis() - openedAt.toEpochMilli() >= maxAgeMs) {
                closeWindow();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("could not close mainframe window {}: {}", seq, e.getMessage());
        }
    }

    /** Publish the open window as one file, remember what it held, and open the next one. */
    private void closeWindow() throws IOException {
        String name = "batch-" + STAMP.format(clock.instant()) + "-" + namePart + String.format("%06d", seq);
        append("! " + name);
        publishWindow(name);
        openNext();
    }

    private void publishWindow(String name) throws IOException {
        String file = name + ".dat";
        if (!Files.exists(sent.resolve(file))) {
            List<String> lines = new ArrayList<>(open.values());
            byte[] content;
            try {
                content = records.batch(name, lines, clock.instant());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("could not render " + file, e);
            }
            DurableFiles.write(staging, file, content);
            Files.move(staging.resolve(file), outbox.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncFolder(outbox);
            try {
                Files.createLink(sent.resolve(file), outbox.resolve(file));
            } catch (FileAlreadyExistsException again) {
                // a close finished after a restart
            }
            DurableFiles.syncFolder(sent);
            DurableFiles.marker(outbox, file + ".done");
            LOG.info("mainframe window {} published as {} with {} records", seq, file, lines.size());
        }
        try (FileChannel index = FileChannel.open(publishedIndex, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            index.write(ByteBuffer.wrap((String.join("\n", open.keySet()) + "\n").getBytes(StandardCharsets.US_ASCII)));
            index.force(false);
        }
        published.addAll(open.keySet());
    }

    private void openNext() throws IOException {
        Path old = journalPath(seq);
        journal.close();   // drains: every queued line is on disk before the file goes
        seq++;
        open.clear();
        startJournal();
        Files.deleteIfExists(old);
        DurableFiles.syncFolder(windows);
        compactStaged();
    }

    /** Rewrites the staged journal with what is still staged, so it does not grow with every event. */
    private void compactStaged() throws IOException {
        if (stagedJournal != null) {
            stagedJournal.close(); // drains
        }
        StringBuilder text = new StringBuilder();
        staged.forEach((id, record) -> text.append("? ").append(id).append(' ').append(record).append('\n'));
        DurableFiles.write(windows, stagedPath.getFileName().toString(), text.toString().getBytes(StandardCharsets.US_ASCII));
        stagedJournal = new GroupCommitJournal<>(stagedPath, 256, (item, span) -> { });
    }

    private void startJournal() throws IOException {
        journal = new GroupCommitJournal<>(journalPath(seq), 256, (item, span) -> { });
        DurableFiles.syncFolder(windows);
        openedAt = clock.instant();
    }

    private void append(String line) throws IOException {
        await(journal.append(line, null));
    }

    /** The window as the journal left it: records added minus withdrawn; a close under way is finished. */
    private void recover() throws IOException {
        GroupCommitJournal.forEachLine(stagedPath, (line, span) -> {   // whole lines only: a torn last one is skipped
            if (line.startsWith("? ") && line.length() > 2 + 80) {
                staged.put(line.substring(2, line.length() - 81), line.substring(line.length() - 80));
            } else if (line.startsWith("x ")) {
                staged.remove(line.substring(2));
            }
        });
        compactStaged();
        if (Files.exists(publishedIndex)) {
            Files.readAllLines(publishedIndex, StandardCharsets.US_ASCII).stream().filter(l -> !l.isBlank()).forEach(published::add);
        }
        seq = 1;
        try (DirectoryStream<Path> journals = Files.newDirectoryStream(windows, "open-*.records")) {
            for (Path j : journals) {
                seq = Math.max(seq, Long.parseLong(j.getFileName().toString().replaceAll("\\D", "")));
            }
        }
        String closing = null;
        Path current = journalPath(seq);
        if (Files.exists(current)) {
            try (BufferedReader reader = Files.newBufferedReader(current, StandardCharsets.US_ASCII)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("+ ") && line.length() > 2 + 80) {
                        String key = line.substring(2, line.length() - 81);
                        open.put(key, line.substring(line.length() - 80));
                    } else if (line.startsWith("- ")) {
                        open.remove(line.substring(2));
                    } else if (line.startsWith("! ")) {
                        closing = line.substring(2);
                    }
                }
            }
        }
        startJournal();
        if (closing != null) {
            LOG.warn("finishing the close of mainframe window {} ({}) after a restart", seq, closing);
            publishWindow(closing);
            openNext();
        } else if (!open.isEmpty()) {
            LOG.info("mainframe window {} reopened with {} committed records", seq, open.size());
        }
    }

    private Path journalPath(long n) {
        return windows.resolve("open-" + String.format("%06d", n) + ".records");
    }

    /** The D or R record (the second line) of a rendered file. */
    private String recordOf(byte[] file) {
        String[] lines = new String(file, charset).split("\n");
        return lines[1];
    }

    @Override
    public void close() {
        if (ownsTimer) {
            timer.shutdownNow();
        } else {
            tick.cancel(false);
        }
        synchronized (this) {   // a close under way on the timer finishes first
            journal.close();
            stagedJournal.close();
        }
    }
}
