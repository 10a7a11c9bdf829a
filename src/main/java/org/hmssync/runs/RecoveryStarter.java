package org.hmssync.runs;

import org.hmssync.ledger.FailureReasons;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.hmssync.ledger.WriteProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the hub is up, every event the ledger shows unfinished is finished and every DLQ entry is
 * put in line with the ledger (contract section 7); the hub is not ready until that is done.
 * Then the same repair runs every {@code hms.repair.interval-ms}.
 */
public final class RecoveryStarter implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryStarter.class);
    private static final long PROGRESS_EVERY_MS = 2_000;
    private static final long HELD_CHECK_MS = 200;

    private final LedgerRepair repair;
    private final WriteProbe writable;
    private volatile String lastProblem;
    private final Supplier<List<String>> parkedIds;
    private final long intervalMs;
    private final CompletableFuture<Void> recovered = new CompletableFuture<>();

    public RecoveryStarter(LedgerRepair repair, WriteProbe writable, Supplier<List<String>> parkedIds, long intervalMs) {
        this.repair = repair;
        this.writable = writable;
        this.parkedIds = parkedIds;
        this.intervalMs = intervalMs;
    }

    /** Done once the start-up recovery has finished (readiness waits for it). */
    public boolean isRecovered() {
        return recovered.isDone();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes are not running yet: wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ScheduledExecutorService timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "hms-repair");
        timer.execute(() -> {
            recoverAtStart();
            timer.scheduleWithFixedDelay(this::repairQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        });
    }

    private void recoverAtStart() {
        try {
            repair.releaseResolved(parkedIds.get());
            List<CompletableFuture<Void>> runs = repair.finishUnfinished();
            if (!runs.isEmpty()) {
                LOG.warn("recovery: finishing {} unfinished event(s) from the ledger", runs.size());
                awaitWithProgress(runs, repair::onlyHeldLeft);
            }
            repair.parkWhatFailed();
            LOG.info("recovery done: {} event(s) finished; the hub is ready", runs.size());
        } catch (RuntimeException e) {
            LOG.error("recovery stopped early; the repair tries again every {} ms: {}", intervalMs, FailureReasons.of(e));
        } finally {
            recovered.complete(null);
        }
    }

    /** Until every run has ended, or all that are left are held for a system (they may wait for hours). */
    private static void awaitWithProgress(List<CompletableFuture<Void>> runs, java.util.function.BooleanSupplier onlyHeldLeft) {
        CompletableFuture<Void> all = CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new));
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                all.get(HELD_CHECK_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (onlyHeldLeft.getAsBoolean()) {
                    LOG.info("recovery: {} of {} events finished, the others are held for a system", runs.stream().filter(CompletableFuture::isDone).count(), runs.size());
                    return;
                }
                if (System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS)) {
                    continue;
                }
                lastProgress = System.nanoTime();
                LOG.info("recovery: {} of {} events finished", runs.stream().filter(CompletableFuture::isDone).count(), runs.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                return;   // a run's end is all we wait for; the ledger says how it ended
            }
        }
    }

    /** Later passes: events stuck by a failed write are finished and parked once writes work again. */
    private void repairQuietly() {
        if (!repair.hasWork()) {
            return;   // the usual pass: nothing to do, and no probe writes to the disk
        }
        // while the disk refuses writes a run could only fail again: wait, and say so once
        String problem = writable.problem().orElse(null);
        if (problem != null) {
            if (!problem.equals(lastProblem)) {
                LOG.warn("repair waits until the hub can write again: {}", problem);
            }
            lastProblem = problem;
            return;
        }
        lastProblem = null;
        try {
            List<CompletableFuture<Void>> runs = repair.finishUnfinished();
            if (!runs.isEmpty()) {
                LOG.warn("repair: finishing {} unfinished event(s) that no run held", runs.size());
            }
            repair.parkWhatFailed();
        } catch (RuntimeException e) {
            LOG.warn("repair pass failed, tried again in {} ms: {}", intervalMs, FailureReasons.of(e));
        }
    }
}
