package org.hmssync.runs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hmssync.circuits.SystemCircuits;
import org.hmssync.coordinator.Holding;
import org.hmssync.ledger.EventStatus;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hmssync.coordinator.CoordinatorRoutes;
import org.hmssync.coordinator.HmsHeaders;
import org.hmssync.coordinator.RunKind;
import org.hmssync.dlq.Parking;
import org.hmssync.event.EventStore;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door into the coordinator. Every run of an event (new, replay, undo, the workbench's
 * actions, recovery) holds the event's in-flight claim and runs in its claimant's lane, in arrival
 * order; after the protocol it parks the event if it ended by failure or releases it from the DLQ,
 * gives the claim back, and announces the outcome.
 */
public final class EventRunner {

    private static final Logger LOG = LoggerFactory.getLogger(EventRunner.class);
    private static final long WAIT_FOR_RUN_MS = 60_000;

    private final EventAcceptance acceptance;
    private final EventStore events;
    private final SyncLedger ledger;
    private final InFlightEvents inFlight;
    private final KeyedLanes lanes;
    private final ProducerTemplate template;
    private final Parking parking;
    private final OutcomeAnnouncer outcomes;
    private final Holding holding;
    /** Every protocol run passes it: an adapter reload happens between runs (RunGate). */
    private final RunGate gate = new RunGate();
    /** Where a held event's next try runs (the lanes' pool; its lane waits for it meanwhile). */
    private final java.util.concurrent.Executor resumed;
    /** Told of each run's end, after its claim is given back (a batch being undone takes its committed events). */
    private volatile java.util.function.Consumer<String> afterRun = id -> { };
    /** Resolved once: normalising the URI on every run costs more than the lookup saves. */
    private final Endpoint coordinator;

    public EventRunner(EventAcceptance acceptance, EventStore events, SyncLedger ledger, InFlightEvents inFlight, KeyedLanes lanes,
                       ProducerTemplate template, Parking parking, OutcomeAnnouncer outcomes, Holding holding,
                       java.util.concurrent.Executor resumed) {
        this.holding = holding;
        this.resumed = resumed;
        this.acceptance = acceptance;
        this.events = events;
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.lanes = lanes;
        this.template = template;
        this.parking = parking;
        this.outcomes = outcomes;
        this.coordinator = template.getCamelContext().getEndpoint(CoordinatorRoutes.RUN);
    }

    /**
     * Queues a run of a known event in its lane. The caller holds the id's claim, which the run
     * gives back at its end; the future completes then.
     */
    public CompletableFuture<Void> submit(String id, RunKind kind) {
        CompletableFuture<Void> done = inFlight.completion(id);
        try {
            SyncEvent event = events.find(id).orElseThrow(() -> new IllegalStateException("event " + id + " is not in events.jsonl"));
            lanes.submit(KeyedLanes.keyOf(event), () -> run(id, event, kind, null, 0));
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        return done;
    }

    /**
     * A new event accepted by the caller, who holds its claim; runs on the caller's thread (a lane's).
     * Returns when it is final, or a future that completes then (it is held: its lane waits for it).
     */
    public CompletableFuture<Void> runAccepted(SyncEvent event) {
        return run(event.id(), event, RunKind.SYNC, null, 0);
    }

    /**
     * Where a delivery stands: {@code finished} completes when the event is final; {@code ownRun}
     * tells whether that run is this delivery's (its lane waits for it) or another's (it must not).
     */
    public record Progress(CompletableFuture<Void> finished, boolean ownRun) {
        static Progress done() {
            return new Progress(CompletableFuture.completedFuture(null), true);
        }
    }

    /**
     * A delivery from the broker, on its lane's thread: a new event is accepted and run; a final
     * one is left alone; an unfinished one nobody runs is finished; one that another run holds is
     * not waited for here (the lane would stall behind a run queued after it): the returned future
     * completes when that run ends. {@code origin}: handed to the announcer ({@link OutcomeAnnouncer#ORIGIN}).
     */
    public Progress runToFinal(SyncEvent event, Object origin) {
        String id = event.id();
        EventRecord known = ledger.find(id).orElse(null);
        if (known != null && known.status().isFinal()) {
            acceptedWithAnotherKey(event);   // a publisher reusing an id for another claimant is told so in the log
            return Progress.done();
        }
        if (known != null) {
            if (acceptedWithAnotherKey(event)) {
                return Progress.done();
            }
            if (!inFlight.tryStart(id)) {
                return new Progress(inFlight.completion(id), false);
            }
            return recoverClaimed(id, origin);
        }
        // a new id: claimed before it is accepted, so no moment exists in which it is on disk,
        // unfinished and nobody's (the repair would run it a second time)
        if (!inFlight.tryStart(id, WAIT_FOR_RUN_MS)) {
            throw new IllegalStateException("event " + id + " is still being processed after " + WAIT_FOR_RUN_MS + " ms");
        }
        boolean fresh;
        try {
            fresh = acceptance.accept(event);
        } catch (RuntimeException e) {
            inFlight.finish(id);
            throw e;
        }
        if (fresh) {
            return new Progress(run(id, event, RunKind.SYNC, origin, 0), true);
        }
        if (acceptedWithAnotherKey(event)) {
            inFlight.finish(id);
            return Progress.done();
        }
        return recoverClaimed(id, origin);
    }

    /**
     * The id was accepted with another lane key (published again with another claimant, else state):
     * this delivery is a repeated id, answered as one; the event accepted runs in its own lane (in
     * cluster mode, on the hub holding its partition), never a second time here.
     */
    private boolean acceptedWithAnotherKey(SyncEvent event) {
        boolean another = events.laneKey(event.id()).filter(key -> !key.equals(event.laneKey())).isPresent();
        if (another) {
            LOG.warn("event {} came again with another claimant or state than the one accepted: answered as a duplicate, not run", event.id());
        }
        return another;
    }

    private Progress recoverClaimed(String id, Object origin) {
        EventRecord record = ledger.find(id).orElseThrow();   // as it stands now that the claim is ours
        if (record.status().isFinal()) {
            inFlight.finish(id);
            return Progress.done();
        }
        LOG.info("event {} seen again while {}: finishing it", id, record.status().wire());
        return new Progress(run(id, null, RunKind.RECOVER, origin, 0), true);
    }

    /**
     * The caller holds the claim; it is given back here, after the event is parked or released.
     * {@code fresh}: the event as already read (accepted, or looked up for its lane), handed on as it
     * is; null: read back from the store.
     * An event that ends held keeps its claim and waits, without a thread, for its system; the
     * returned future completes when it is final.
     */
    private CompletableFuture<Void> run(String id, SyncEvent fresh, RunKind kind, Object origin, int holds) {
        Exchange done;
        boolean held = false;
        boolean finalNow;
        try {
            Object body = fresh != null ? fresh : textOf(id);
            gate.enter();
            try {
                done = template.send(coordinator, e -> {
                    e.getMessage().setBody(body);
                    e.getMessage().setHeaders(Map.of(HmsHeaders.ROLLBACK_TOKEN, id, HmsHeaders.RUN, kind));
                    if (origin != null) {
                        e.setProperty(OutcomeAnnouncer.ORIGIN, origin);
                    }
                });
            } finally {
                gate.leave();
            }
            if (done.getException() != null) {
                parkAfterHubError(id, done.getException());
                throw new IllegalStateException("event " + id + " did not reach a final status", done.getException());
            }
            EventRecord record = ledger.find(id).orElseThrow();
            if (record.status() == EventStatus.HELD && !holding.stopping()) {
                held = true;
                @SuppressWarnings("unchecked")
                List<String> systems = done.getProperty(HmsHeaders.WAITS_FOR, List.class);
                return waitWhileHeld(id, record, systems == null ? List.of() : systems, origin, holds);
            }
            settle(id, record);
            finalNow = record.status().isFinal();   // parking adds a dead_letter line, which moves no status
        } finally {
            if (!held) {
                inFlight.finish(id);
            }
        }
        if (finalNow) {
            outcomes.announce(done);
            afterRun.accept(id);
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A held event waits for the first of its systems that is not back yet (or, if their circuits
     * are closed, a back-off), then prepares again; past the hold's limit it gives up and parks.
     */
    private CompletableFuture<Void> waitWhileHeld(String id, EventRecord record, List<String> systems, Object origin, int holds) {
        long leftMs = Instant.parse(record.heldSince()).toEpochMilli() + holding.maxMs() - System.currentTimeMillis();
        if (leftMs <= 0) {
            return run(id, null, RunKind.GIVE_UP, origin, holds);
        }
        SystemCircuits circuits = holding.circuits();
        String system = systems.stream().filter(s -> !circuits.isClosed(s)).findFirst()
                .orElse(systems.isEmpty() ? circuits.systems().get(0) : systems.get(0));
        CompletableFuture<Void> back = circuits.whenWorthTrying(system, holding.backOffMs(holds));
        long giveUpAt = System.currentTimeMillis() + leftMs;
        back.completeOnTimeout(null, leftMs, TimeUnit.MILLISECONDS);
        return back.thenComposeAsync(ignored -> {
            if (holding.stopping()) {
                return CompletableFuture.<Void>completedFuture(null);   // held in the ledger: the next start goes on
            }
            try {
                return run(id, null, System.currentTimeMillis() >= giveUpAt ? RunKind.GIVE_UP : RunKind.RESUME, origin, holds + 1);
            } catch (RuntimeException e) {
                LOG.warn("event {} could not try again after its hold: {}", id, FailureReasons.of(e));
                return CompletableFuture.<Void>failedFuture(e);
            }
        }, resumed);
    }

    public RunGate gate() {
        return gate;
    }

    /** Set once at wiring (the batch undo needs the operator's runs, which need this runner). */
    public void afterEachRun(java.util.function.Consumer<String> listener) {
        this.afterRun = listener;
    }

    private String textOf(String id) {
        return events.text(id).orElseThrow(() -> new IllegalStateException("event " + id + " is not in events.jsonl"));
    }

    /** Final by failure: parked with its reason. Final otherwise: off the DLQ if it was there. */
    private void settle(String id, EventRecord record) {
        if (record.failedFinal()) {
            parking.park(id, textOf(id), record.reason());
        } else if (record.status().isFinal()) {
            parking.release(id);
        }
    }

    /** A run cut short by the hub itself (a write that failed) is parked for a person to see; the repair finishes it. */
    private void parkAfterHubError(String id, Exception failure) {
        try {
            parking.park(id, textOf(id), "hub error: " + FailureReasons.of(failure));
        } catch (RuntimeException parkFailed) {
            LOG.warn("event {} could not be parked after a hub error ({}); the repair tries again", id, FailureReasons.of(parkFailed));
        }
    }
}
