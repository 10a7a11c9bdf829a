package org.hmssync.ledger;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a checkpoint line every {@code everyLines} lines, and every {@code everyMinutes} when a
 * line was written since the last one (0 turns either off). The writer fills in the head just before
 * it and its signature, so a copy of any checkpoint someone keeps pins the file up to that line: a
 * file cut or rewritten before it no longer reaches it.
 */
public final class LedgerCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerCheckpoints.class);

    private final SyncLedger ledger;
    private final LedgerLines lines;
    private final long everyLines;
    /** Lines since the last checkpoint on disk; counted on the writer's thread, read by the timer. */
    private final AtomicLong since = new AtomicLong();
    /** A checkpoint is on its way: one at a time. */
    private final AtomicBoolean asked = new AtomicBoolean();
    /** Writes the checkpoints: the writer's thread, which notices the count, must not wait for its own line. */
    private final ScheduledExecutorService worker;

    /** {@code worker}: one thread of its own (Camel's, in the hub), shut down with this. */
    public LedgerCheckpoints(SyncLedger ledger, LedgerLines lines, long everyLines, long everyMinutes, ScheduledExecutorService worker) {
        this.worker = worker;
        this.ledger = ledger;
        this.lines = lines;
        this.everyLines = everyLines;
        if (everyMinutes > 0) {
            worker.scheduleAtFixedRate(() -> {
                if (since.get() > 0) {
                    ask();
                }
            }, everyMinutes, everyMinutes, TimeUnit.MINUTES);
        }
        ledger.onDurable(this::written);
    }

    private void written(LedgerLine line) {
        if (line.isCheckpoint()) {
            since.set(0);
        } else if (since.incrementAndGet() >= everyLines && everyLines > 0) {
            ask();
        }
    }

    private void ask() {
        if (!asked.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(this::write);
        } catch (RejectedExecutionException stopping) {
            asked.set(false);   // the hub is stopping: its next start counts on
        }
    }

    private void write() {
        try {
            ledger.record(lines.checkpoint());
        } catch (RuntimeException e) {
            LOG.warn("could not write a ledger checkpoint (the next line asks again): {}", e.getMessage());
        } finally {
            asked.set(false);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
