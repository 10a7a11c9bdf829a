package org.hmssync.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of lines with group commit. Lines queue in the order they are appended; a
 * caller that waits for its line ({@link Ticket#await}) writes, if nobody else is writing, every
 * line queued so far and forces them to disk once, for itself and for those who queued behind it
 * (leader and followers: the common case of one waiting caller costs no hand-over to another
 * thread). Lines nobody waits for are carried by the next such force, or by a flusher within
 * about 10 ms. {@code afterDurable} sees the lines in file order, after their force, with
 * where each one lies in the file ({@link LineSpan}), so a reader can fetch it again later instead
 * of keeping it in memory.
 */
public final class GroupCommitJournal<T> implements AutoCloseable {

    /** Told of each line once it is on disk, with its {@link LineSpan}. */
    @FunctionalInterface
    public interface AfterDurable<T> {
        void written(T item, long span);
    }

    /**
     * What the one writer makes of each line on its way into the file, in file order (the ledger
     * links each to the one before it). When a write fails the batch is cut off the file again: the
     * lines sealed since the last {@link #kept} are {@link #dropped}, and the next line is sealed as
     * if they had never been.
     */
    public interface LineSeal<T> {
        byte[] seal(byte[] line, T item);

        /** The lines sealed since the last call are on disk. */
        void kept();

        /** The lines sealed since the last {@link #kept} are not in the file. */
        void dropped();

        /**
         * Before a batch, where several hubs append to one table: the next line follows
         * {@code lastLine} (null: the table is empty), which another hub may have written.
         */
        default void continueAfter(String lastLine) {
        }

        static <T> LineSeal<T> none() {
            return new LineSeal<>() {
                @Override
                public byte[] seal(byte[] line, T item) {
                    return line;
                }

                @Override
                public void kept() {
                }

                @Override
                public void dropped() {
                }
            };
        }
    }

    /** Told of each whole line of an existing file, with its {@link LineSpan}. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(String text, long span) throws IOException;
    }

    /** A queued line: {@link #await} returns once it is on disk. */
    public final class Ticket {
        private final String line;
        private final T item;
        private final long queuedAt = System.nanoTime();
        private boolean done;          // guarded by the journal's lock
        private Throwable failure;     // guarded by the journal's lock

        private Ticket(String line, T item) {
            this.line = line;
            this.item = item;
        }

        /** Returns once the line is on disk (writing it, and what queued before it, if nobody is). */
        public void await() {
            awaitDurable(this);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);
    /** How long a line nobody waits for may wait for a caller that does, before the flusher writes it. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Where the lines go: a file, or a database table shared by several hubs. Only the current writer writes. */
    private final LineSink<T> sink;
    private final int maxBatch;
    private final AfterDurable<T> afterDurable;
    /** Only the current writer uses it. */
    private final LineSeal<T> seal;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    /** Guarded by {@code lock}: one writer at a time, so lines reach the file in queue order. */
    private boolean writing;
    private final Thread flusher;
    private final long lingerNanos;
    /** How long the flusher stays awake with nothing queued before it sleeps until a line comes. */
    private final long idleNanos;
    /** Forces so far: how well lines share them. */
    private final AtomicLong forces = new AtomicLong();
    /** Guarded by {@code lock}: the flusher sleeps until the next line is queued. */
    private boolean flusherAsleep;
    private volatile boolean closed;

    public GroupCommitJournal(Path file, int maxBatch, AfterDurable<T> afterDurable) throws IOException {
        this(file, maxBatch, LineSeal.none(), afterDurable);
    }

    public GroupCommitJournal(Path file, int maxBatch, LineSeal<T> seal, AfterDurable<T> afterDurable) throws IOException {
        this(file, maxBatch, seal, afterDurable, LINGER_NANOS, IDLE_NANOS);
    }

    GroupCommitJournal(Path file, int maxBatch, AfterDurable<T> afterDurable, long lingerNanos, long idleNanos) throws IOException {
        this(file, maxBatch, LineSeal.none(), afterDurable, lingerNanos, idleNanos);
    }

    private GroupCommitJournal(Path file, int maxBatch, LineSeal<T> seal, AfterDurable<T> afterDurable, long lingerNanos, long idleNanos)
            throws IOException {
        this(FileSink.open(file), maxBatch, seal, afterDurable, lingerNanos, idleNanos);
    }

    /** Lines into {@code sink} (a file, or a table several hubs share), group-committed the same way. */
    public GroupCommitJournal(LineSink<T> sink, int maxBatch, LineSeal<T> seal, AfterDurable<T> afterDurable) {
        this(sink, maxBatch, seal, afterDurable, LINGER_NANOS, IDLE_NANOS);
    }

    private GroupCommitJournal(LineSink<T> sink, int maxBatch, LineSeal<T> seal, AfterDurable<T> afterDurable, long lingerNanos,
                               long idleNanos) {
        this.sink = sink;
        this.seal = seal;
        this.lingerNanos = lingerNanos;
        this.idleNanos = idleNanos;
        this.maxBatch = maxBatch;
        this.afterDurable = (item, span) -> {
            try {
                afterDurable.written(item, span);
            } catch (RuntimeException e) {
                LOG.error("after-write hook failed for a line of {}", sink.name(), e);
            }
        };
        // a thread of its own, not a pool's: the journal serves the jar's commands too, where no Camel runs
        this.flusher = new Thread(this::flushLoop, "journal-" + sink.name());
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Appends a line (no newline inside) and returns once it is on disk. */
    public void appendDurably(String line, T item) {
        append(line, item).await();
    }

    /** Queues a line (no newline inside); it reaches the disk before any line queued after it. */
    public Ticket append(String line, T item) {
        Ticket ticket = new Ticket(line, item);
        boolean wake = false;
        synchronized (lock) {
            if (closed) {
                ticket.done = true;
                ticket.failure = new IOException(sink.name() + " is closed");
            } else {
                queue.add(ticket);
                wake = flusherAsleep;
                flusherAsleep = false;
            }
        }
        if (wake) {
            LockSupport.unpark(flusher);
        }
        return ticket;
    }

    /** The line at {@code span}, as written (positional read: safe from any thread). */
    public String read(long span) {
        return sink.read(span);
    }

    /**
     * Walks the whole lines of {@code file} (a missing file has none), each with its span; a torn
     * last line without its newline is not whole and is not visited.
     */
    public static void forEachLine(Path file, LineVisitor visitor) throws IOException {
        LineFile.forEachLine(file, visitor);
    }

    /**
     * Waits for the line, writing it if nobody else is. The wait is not cut short by an interrupt
     * (the line would be written anyway, and an interrupted writer would close the file for
     * everyone): the interrupt is kept and put back when the line is on disk.
     */
    private void awaitDurable(Ticket ticket) {
        boolean interrupted = Thread.interrupted();
        try {
            boolean lead = false;
            synchronized (lock) {
                while (!ticket.done && !lead) {
                    if (!writing) {
                        writing = true;
                        lead = true;
                    } else {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                }
            }
            if (lead) {
                writeUntil(ticket);
            }
            synchronized (lock) {
                if (!ticket.done) {
                    throw new JournalException("line not written to " + sink.name() + " (its writer failed)", null);
                }
                if (ticket.failure != null) {
                    throw new JournalException("could not write " + sink.name() + ": " + ticket.failure.getMessage(), ticket.failure);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isDone(Ticket ticket) {
        synchronized (lock) {
            return ticket.done;
        }
    }

    /** As the one writer: writes queued lines, batch by batch, until {@code ticket}'s (or all, if null) is on disk. */
    private void writeUntil(Ticket ticket) {
        try {
            while (true) {
                List<Ticket> batch = new ArrayList<>();
                synchronized (lock) {
                    for (Ticket next = queue.poll(); next != null; next = batch.size() < maxBatch ? queue.poll() : null) {
                        batch.add(next);
                    }
                }
                if (batch.isEmpty()) {
                    return;
                }
                writeBatch(batch);
                if (ticket != null && isDone(ticket)) {
                    return;
                }
            }
        } finally {
            synchronized (lock) {
                writing = false;
                lock.notifyAll();
            }
        }
    }

    /**
     * Lines nobody waits for reach the disk about 10 ms after they were queued, unless a waiting
     * caller carries them first: the flusher writes only once the oldest line has waited that long,
     * so it never forces alone the votes that an event's decision is about to carry. After a second
     * with nothing queued the flusher sleeps until a line comes.
     */
    private void flushLoop() {
        long quietSince = System.nanoTime();
        while (true) {
            boolean lead;
            long sleepNanos = lingerNanos;
            synchronized (lock) {
                if (closed && queue.isEmpty() && !writing) {
                    return;
                }
                long now = System.nanoTime();
                Ticket oldest = queue.peek();
                long waited = oldest == null ? 0 : now - oldest.queuedAt;
                lead = oldest != null && !writing && (closed || waited >= lingerNanos);
                writing |= lead;
                if (oldest != null) {
                    quietSince = now;
                    sleepNanos = Math.max(lingerNanos - waited, TimeUnit.MILLISECONDS.toNanos(1));
                }
                flusherAsleep = !lead && oldest == null && !closed && now - quietSince > idleNanos;
            }
            if (lead) {
                writeUntil(null);
                quietSince = System.nanoTime();
            } else if (flusherAsleep) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, sleepNanos);
            }
        }
    }

    /** How many times lines were forced to disk so far. */
    long forces() {
        return forces.get();
    }

    private void writeBatch(List<Ticket> batch) {
        Throwable failure = null;
        try {
            List<byte[]> lines = new ArrayList<>(batch.size());
            List<T> items = new ArrayList<>(batch.size());
            for (Ticket ticket : batch) {
                lines.add(ticket.line.getBytes(StandardCharsets.UTF_8));
                items.add(ticket.item);
            }
            sink.write(lines, items, seal, afterDurable);
            forces.incrementAndGet();
        } catch (Throwable e) {
            failure = e;
            LOG.error("could not write {} lines to {}: {}", batch.size(), sink.name(), e.toString());
        } finally {
            synchronized (lock) {
                for (Ticket t : batch) {
                    t.done = true;
                    t.failure = failure;
                }
                lock.notifyAll();
            }
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        LockSupport.unpark(flusher);
        try {
            flusher.join(5_000);
            sink.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class JournalException extends RuntimeException {
        public JournalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
