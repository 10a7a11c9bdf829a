package org.hmssync.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of lines with group commit: one writer thread takes every line waiting,
 * writes them in one go and forces them to disk once; each caller is released only after the
 * force that covers its line. {@code afterDurable} sees the lines in file order, after the force,
 * with where each one lies in the file ({@link LineSpan}), so a reader can fetch it again later
 * instead of keeping it in memory.
 */
public final class GroupCommitJournal implements AutoCloseable {

    /** Told of each line once it is on disk, with its {@link LineSpan}. */
    @FunctionalInterface
    public interface AfterDurable {
        void written(Object item, long span);
    }

    /** Told of each whole line of an existing file, with its {@link LineSpan}. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(String text, long span) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);

    private record Pending(String line, Object item, CompletableFuture<Void> done) { }

    /** Wakes the writer at close, so closing never waits out a poll. */
    private static final Pending WAKE_UP = new Pending(null, null, null);

    private final Path file;
    private final FileChannel channel;
    private final int maxBatch;
    private final FileChannel reader;
    private final AfterDurable afterDurable;
    /** Where the next line starts; only the writer thread moves it. */
    private long end;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public GroupCommitJournal(Path file, int maxBatch, AfterDurable afterDurable) throws IOException {
        this.file = file;
        this.maxBatch = maxBatch;
        this.afterDurable = afterDurable;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        sealTornTail();
        this.end = channel.size();
        this.reader = FileChannel.open(file, StandardOpenOption.READ);
        this.writer = new Thread(this::writeLoop, "journal-" + file.getFileName());
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Appends a line (no newline inside) and returns once it is on disk. */
    public void appendDurably(String line, Object item) {
        try {
            append(line, item).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted while writing " + file.getFileName(), e);
        } catch (ExecutionException e) {
            throw new JournalException("could not write " + file.getFileName() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The line at {@code span}, as written (positional read: safe from any thread). */
    public String read(long span) {
        ByteBuffer bytes = ByteBuffer.allocate(LineSpan.length(span));
        try {
            while (bytes.hasRemaining()) {
                if (reader.read(bytes, LineSpan.offset(span) + bytes.position()) < 0) {
                    throw new IOException("ends before the line at byte " + LineSpan.offset(span));
                }
            }
        } catch (IOException e) {
            throw new JournalException("could not read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        return new String(bytes.array(), StandardCharsets.UTF_8);
    }

    /**
     * Walks the whole lines of {@code file} (a missing file has none), each with its span; a torn
     * last line without its newline is not whole and is not visited.
     */
    public static void forEachLine(Path file, LineVisitor visitor) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    line.write(chunk, from, i - from);
                    visitor.line(line.toString(StandardCharsets.UTF_8), LineSpan.of(offset, line.size()));
                    offset += line.size() + 1;
                    line.reset();
                    from = i + 1;
                }
                line.write(chunk, from, n - from);
            }
        }
    }

    public CompletableFuture<Void> append(String line, Object item) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException(file.getFileName() + " is closed"));
            return done;
        }
        queue.add(new Pending(line, item, done));
        return done;
    }

    /**
     * A process killed mid-write can leave a last line without its newline. Ending it here keeps
     * the torn fragment on a line of its own (readers skip it) instead of gluing it to the next.
     */
    private void sealTornTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            reader.read(last, size - 1);
        }
        if (last.get(0) != '\n') {
            LOG.warn("{} ends with a torn line; it is kept and skipped", file);
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(false);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE_UP) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                batch.remove(WAKE_UP);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        long[] spans = new long[batch.size()];
        try {
            byte[][] lines = new byte[batch.size()][];
            int total = 0;
            for (int i = 0; i < lines.length; i++) {
                lines[i] = batch.get(i).line().getBytes(StandardCharsets.UTF_8);
                total += lines[i].length + 1;
            }
            ByteBuffer bytes = ByteBuffer.allocate(total);
            for (int i = 0; i < lines.length; i++) {
                spans[i] = LineSpan.of(end + bytes.position(), lines[i].length);
                bytes.put(lines[i]).put((byte) '\n');
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            end += total;
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write {} lines to {}: {}", batch.size(), file, e.getMessage());
            batch.forEach(p -> p.done().completeExceptionally(e));
            resyncEnd();
            return;
        }
        for (int i = 0; i < spans.length; i++) {
            Pending p = batch.get(i);
            try {
                afterDurable.written(p.item(), spans[i]);
            } catch (RuntimeException e) {
                LOG.error("after-write hook failed for a line of {}", file, e);
            }
            p.done().complete(null);
        }
    }

    /** After a failed write part of it may be in the file: later lines start after whatever is there. */
    private void resyncEnd() {
        try {
            end = channel.size();
        } catch (IOException e) {
            LOG.error("could not read the size of {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.add(WAKE_UP);
        try {
            writer.join(5_000);
            channel.close();
            reader.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class JournalException extends RuntimeException {
        public JournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
