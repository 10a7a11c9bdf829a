package org.hmssync.runs;

import org.hmssync.coordinator.RunKind;
import org.hmssync.ledger.FailureReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hmssync.dlq.Parking;
import org.hmssync.event.EventStore;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger, the runs and the DLQ back in line: an unfinished event that no run owns is
 * finished (the recovery rules of contract section 7), an event final by failure that is not
 * parked is parked, a DLQ entry whose event was resolved is released. At start-up this is the
 * recovery; afterwards it runs every few seconds, so events stuck by a failed write (a full or
 * read-only disk) are finished once writes work again, without a restart.
 */
public final class LedgerRepair {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRepair.class);

    private final SyncLedger ledger;
    private final EventStore events;
    private final InFlightEvents inFlight;
    private final Parking parking;
    private final EventRunner runner;
    /** Cluster mode: only the events of this hub's partitions are its to repair (one hub: every event). */
    private volatile java.util.function.Predicate<String> here = id -> true;

    public LedgerRepair(SyncLedger ledger, EventStore events, InFlightEvents inFlight, Parking parking, EventRunner runner) {
        this.ledger = ledger;
        this.events = events;
        this.inFlight = inFlight;
        this.parking = parking;
        this.runner = runner;
    }

    /** Cluster mode: repairs only the events {@code here} accepts (those of the partitions this hub holds). */
    public void onlyWhere(java.util.function.Predicate<String> here) {
        this.here = here;
    }

    /** Something to repair: an unfinished event no run holds, or an event final by failure not fully parked. */
    public boolean hasWork() {
        return ledger.unfinished().stream().anyMatch(r -> !inFlight.isRunning(r.id()) && here.test(r.id()))
                || ledger.failedFinals().stream().anyMatch(id -> !inFlight.isRunning(id) && here.test(id) && !parkedInPlace(id));
    }

    private boolean parkedInPlace(String id) {
        return parking.isParked(id) && ledger.find(id).map(EventRecord::parkedThisRun).orElse(true);
    }

    /** Every unfinished event is held, waiting for a system: the recovery need not wait for them. */
    public boolean onlyHeldLeft() {
        return ledger.unfinished().stream().allMatch(r -> r.status() == org.hmssync.ledger.EventStatus.HELD);
    }

    /** Starts a recovery run for every unfinished event nobody runs; each future completes when its run ends. */
    public List<CompletableFuture<Void>> finishUnfinished() {
        return finishUnfinished(here);
    }

    /** The same for the events {@code which} accepts (a partition this hub has just taken over). */
    public List<CompletableFuture<Void>> finishUnfinished(java.util.function.Predicate<String> which) {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (EventRecord listed : ledger.unfinished()) {
            String id = listed.id();
            if (!which.test(id)) {
                continue;
            }
            Optional<String> text = claimIf(id, r -> !r.status().isFinal());
            if (text.isEmpty()) {
                continue;
            }
            try {
                runs.add(runner.submit(id, RunKind.RECOVER));
            } catch (RuntimeException e) {
                LOG.warn("could not start the recovery of event {}: {}", id, FailureReasons.of(e));
            }
        }
        return runs;
    }

    /** Parks every event final by failure whose DLQ entry or dead_letter line is missing; true when all are in place. */
    public boolean parkWhatFailed() {
        boolean allParked = true;
        for (String id : ledger.failedFinals()) {
            if (!here.test(id)) {
                continue;
            }
            Optional<EventRecord> record = ledger.find(id);
            if (record.isEmpty() || parkedInPlace(id)) {
                continue;
            }
            Optional<String> text = claimIf(id, r -> r.failedFinal() && !(r.parkedThisRun() && parking.isParked(id)));
            if (text.isEmpty()) {
                continue;
            }
            try {
                EventRecord now = ledger.find(id).orElseThrow();
                parking.park(id, text.get(), now.reason() == null ? "parked by the repair after a failed write" : now.reason());
            } catch (RuntimeException e) {
                allParked = false;
                LOG.warn("event {} is {} but could not be parked yet: {}", id, record.get().status().wire(), FailureReasons.of(e));
            } finally {
                inFlight.finish(id);
            }
        }
        return allParked;
    }

    /** Releases DLQ entries of events that ended without failure (a crash came between their end and the release). */
    public void releaseResolved(List<String> parkedIds) {
        for (String id : parkedIds) {
            if (here.test(id) && claimIf(id, r -> r.status().isFinal() && !r.failedFinal()).isPresent()) {
                try {
                    parking.release(id);
                    LOG.info("event {} left the DLQ: it ended {} before a restart", id, ledger.find(id).orElseThrow().status().wire());
                } finally {
                    inFlight.finish(id);
                }
            }
        }
    }

    /**
     * Claims the id when no run holds it and the ledger, read after the claim, still says the
     * event needs this repair; returns the stored event then. Without a claim nothing is touched.
     */
    private Optional<String> claimIf(String id, java.util.function.Predicate<EventRecord> needed) {
        if (!inFlight.tryStart(id)) {
            return Optional.empty();
        }
        Optional<EventRecord> record = ledger.find(id);
        Optional<String> text = record.filter(needed).flatMap(r -> events.text(id));
        if (text.isEmpty()) {
            if (record.filter(needed).isPresent()) {
                LOG.error("event {} is {} in the ledger but missing from events.jsonl; a person must look", id, record.get().status().wire());
            }
            inFlight.finish(id);
        }
        return text;
    }
}
