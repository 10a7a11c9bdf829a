package org.hmssync.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hmssync.event.SyncEvent;

/**
 * One run of the two-phase protocol for one event, shared by the coordinator and its parallel
 * branches (Camel copies exchange properties by reference). The prepare round closes once; an
 * answer that comes after its system's deadline, or after the close, counts as no.
 */
public final class SyncAttempt {

    public static final String PROPERTY = "hmsSyncAttempt";

    /** Why this run ends other than committed: the first cause is the one a person needs. */
    public enum Outcome { COMMITTED, ABORTED, COMPENSATED, UNDONE, SKIPPED }

    private final SyncEvent event;
    private final Map<String, AdapterSettings> targets = new LinkedHashMap<>();
    private final long startedAtNanos = System.nanoTime();
    private final Map<String, CompletableFuture<Vote>> answers = new ConcurrentHashMap<>();
    private final Map<String, Vote> votes = new LinkedHashMap<>();
    private final Map<String, Boolean> commits = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rollbacks = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private boolean closed;
    private boolean finished;
    private boolean resumed;
    private Outcome outcome;
    private String reason;

    public SyncAttempt(SyncEvent event, List<AdapterSettings> targets) {
        this.event = event;
        targets.forEach(t -> {
            this.targets.put(t.name(), t);
            answers.put(t.name(), new CompletableFuture<>());
        });
    }

    public SyncEvent event() {
        return event;
    }

    public List<String> targets() {
        return List.copyOf(targets.keySet());
    }

    public AdapterSettings settings(String name) {
        return targets.get(name);
    }

    /**
     * Recovery of an event whose commit decision is already on disk: no second vote, no second
     * decision line; systems the ledger shows committed are done.
     */
    public synchronized void resumeCommitting(java.util.Collection<String> alreadyCommitted) {
        closed = true;
        resumed = true;
        targets.keySet().forEach(name -> votes.put(name, new Vote(true, 0, null)));
        alreadyCommitted.forEach(name -> commits.put(name, true));
    }

    public synchronized boolean isResumed() {
        return resumed;
    }

    /** Records a prepare answer; true when it still counts (in time and before the close). */
    public synchronized boolean answer(String name, Vote vote) {
        answers.get(name).complete(vote);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
        boolean inTime = elapsedMs <= targets.get(name).prepareTimeoutMs();
        if (closed || !inTime) {
            return false;
        }
        votes.put(name, vote);
        return true;
    }

    /** Closes the round: every system without a counted answer has timed out. Returns those. */
    public synchronized List<String> close() {
        closed = true;
        List<String> timedOut = new ArrayList<>();
        for (String name : targets.keySet()) {
            if (!votes.containsKey(name)) {
                votes.put(name, Vote.timedOut(targets.get(name).prepareTimeoutMs()));
                timedOut.add(name);
            }
        }
        return timedOut;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized Map<String, Vote> votes() {
        return Map.copyOf(votes);
    }

    public synchronized boolean unanimousYes() {
        return votes.values().stream().allMatch(Vote::yes);
    }

    /**
     * Waits (bounded) for a system that did not answer in time, so its late prepare is finished
     * before it is undone. Returns its late answer, or null if it is still silent.
     */
    public Vote awaitLateAnswer(String name, long waitMs) {
        try {
            return answers.get(name).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    public void commitResult(String name, boolean success, String error) {
        commits.put(name, success);
        if (!success) {
            errors.put(name, error);
        }
    }

    public void rollbackResult(String name, boolean success, String error) {
        rollbacks.put(name, success);
        if (!success) {
            errors.put(name, error);
        }
    }

    public Map<String, Boolean> commits() {
        return Map.copyOf(commits);
    }

    public Map<String, Boolean> rollbacks() {
        return Map.copyOf(rollbacks);
    }

    public String error(String name) {
        return errors.get(name);
    }

    public synchronized void end(Outcome outcome, String reason) {
        if (this.outcome == null) {
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    /** The run has written its final status: a late answer from now on is nobody's to undo but its own. */
    public synchronized void markFinished() {
        finished = true;
    }

    public synchronized boolean isFinished() {
        return finished;
    }

    public synchronized Outcome outcome() {
        return outcome;
    }

    public synchronized String reason() {
        return reason;
    }
}
