package org.hmssync.coordinator;

import org.hmssync.settings.AdapterSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hmssync.event.SyncEvent;

/**
 * What the parallel branches of one run report into: the prepare votes, each system's commit and
 * rollback result. The run itself ({@link ProtocolRun}) is owned by the coordinator's thread; this
 * is the part the branches share. The prepare round closes once; an answer after its system's
 * deadline, or after the close, counts as no (the one place that deadline is judged).
 */
public final class SyncAttempt {

    public static final String PROPERTY = "hmsSyncAttempt";

    private final SyncEvent event;
    private final Map<String, AdapterSettings> targets = new LinkedHashMap<>();
    private final long startedAtNanos = System.nanoTime();
    /** Every answer, counted or late, for a rollback that waits for a straggler. */
    private final Map<String, CompletableFuture<Vote>> answers = new ConcurrentHashMap<>();
    private final Map<String, Vote> votes = new LinkedHashMap<>();   // guarded by this
    private final Map<String, Boolean> commits = new ConcurrentHashMap<>();
    private final Map<String, Boolean> rollbacks = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    /** Systems whose last commit failed because they could not answer (worth waiting for). */
    private final java.util.Set<String> commitsUnavailable = ConcurrentHashMap.newKeySet();
    private boolean closed;     // guarded by this
    private boolean finished;   // guarded by this

    public SyncAttempt(SyncEvent event, List<AdapterSettings> targets) {
        this.event = event;
        targets.forEach(t -> {
            this.targets.put(t.name(), t);
            answers.put(t.name(), new CompletableFuture<>());
        });
    }

    long startedAtNanos() {
        return startedAtNanos;
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
     * A run that starts past the vote (its commit decision is on disk): every system counts as
     * prepared, and those the ledger shows committed are done.
     */
    public synchronized void resumeCommitting(java.util.Collection<String> alreadyCommitted) {
        closed = true;
        targets.keySet().forEach(name -> votes.put(name, Vote.yes(0)));
        alreadyCommitted.forEach(name -> commits.put(name, true));
    }

    /**
     * Records a prepare answer and returns it as counted: an answer after the system's deadline
     * (measured from the start of the run) or after the round closed is a no that says so.
     */
    public synchronized Vote answer(String name, boolean yes, String error) {
        return answer(name, yes, error, false);
    }

    /** {@code unavailable}: the no came from a system that could not answer, not from a refusal. */
    public synchronized Vote answer(String name, boolean yes, String error, boolean unavailable) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
        long deadline = targets.get(name).prepareTimeoutMs();
        boolean late = closed || elapsedMs > deadline;
        Vote given = yes ? Vote.yes(elapsedMs) : Vote.no(elapsedMs, error, unavailable);
        answers.get(name).complete(given);
        if (!late) {
            votes.put(name, given);
            return given;
        }
        return Vote.no(elapsedMs, "answered after the " + deadline + " ms deadline; counted as no" + (error == null ? "" : ": " + error), true);
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

    /** Some system said no, and every no came from a system that could not answer: worth holding for, not a refusal. */
    public synchronized boolean onlyUnavailable() {
        return !unanimousYes() && votes.values().stream().allMatch(v -> v.yes() || v.unavailable());
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
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public void commitResult(String name, boolean success, String error, boolean unavailable) {
        commits.put(name, success);
        if (!success) {
            errors.put(name, error);
        }
        if (unavailable && !success) {
            commitsUnavailable.add(name);
        } else {
            commitsUnavailable.remove(name);
        }
    }

    /** Every failed commit failed because its system could not answer. */
    public boolean commitFailuresUnavailable(java.util.Collection<String> failed) {
        return commitsUnavailable.containsAll(failed);
    }

    /** Forget the failed commits, so that they are tried again. */
    public void retryCommits(java.util.Collection<String> failed) {
        failed.forEach(commits::remove);
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

    /** The run has written its final status: a late answer from now on is nobody's to undo but its own. */
    public synchronized void markFinished() {
        finished = true;
    }

    public synchronized boolean isFinished() {
        return finished;
    }
}
