package org.hmssync.ledger;

import java.io.IOException;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of lines with group commit: one writer thread takes every line waiting,
 * writes them in one go and forces them to disk once; each caller is released only after the
 * force that covers its line. {@code afterDurable} sees the lines in file order, after the force.
 */
public final class GroupCommitJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);

    private record Pending(String line, Object item, CompletableFuture<Void> done) { }

    /** Wakes the writer at close, so closing never waits out a poll. */
    private static final Pending WAKE_UP = new Pending(null, null, null);

    private final Path file;
    private final FileChannel channel;
    private final int maxBatch;
    private final Consumer<Object> afterDurable;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public GroupCommitJournal(Path file, int maxBatch, Consumer<Object> afterDurable) throws IOException {
        this.file = file;
        this.maxBatch = maxBatch;
        this.afterDurable = afterDurable;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        sealTornTail();
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
        try {
            StringBuilder text = new StringBuilder(batch.size() * 160);
            for (Pending p : batch) {
                text.append(p.line()).append('\n');
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write {} lines to {}: {}", batch.size(), file, e.getMessage());
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (Pending p : batch) {
            try {
                afterDurable.accept(p.item());
            } catch (RuntimeException e) {
                LOG.error("after-write hook failed for a line of {}", file, e);
            }
            p.done().complete(null);
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.add(WAKE_UP);
        try {
            writer.join(5_000);
            channel.close();
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
