package org.hmssync.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One phase of the two-phase run: an exchange to each system's phase route, all at once on a fixed
 * pool. Each branch reports through the shared {@link SyncAttempt}; its message and failures stay
 * its own.
 *
 * <p>A phase with a deadline (prepare) waits at most that long: the deadline ends the wait, not
 * the call, and a straggler's late answer counts as no (AdapterCalls#vote). A phase without one
 * (commit, rollback) runs its last branch on the calling thread, which would only wait anyway.
 */
public final class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final ProducerTemplate template;
    private final ExecutorService branches;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public FanOut(ProducerTemplate template, ExecutorService branches) {
        this.template = template;
        this.branches = branches;
    }

    /**
     * Sends the attempt to each of the phase routes {@code uris} ({@code direct:} URIs) and returns
     * when all have answered, or once {@code deadlineMs} has passed (0: no deadline).
     */
    public void run(List<String> uris, SyncAttempt attempt, long deadlineMs) {
        if (uris.isEmpty()) {
            return;
        }
        boolean lastHere = deadlineMs <= 0;
        List<CompletableFuture<Void>> calls = new ArrayList<>(uris.size());
        for (int i = 0; i < uris.size() - (lastHere ? 1 : 0); i++) {
            String uri = uris.get(i);
            calls.add(CompletableFuture.runAsync(() -> send(uri, attempt), branches));
        }
        if (lastHere) {
            send(uris.get(uris.size() - 1), attempt);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
        try {
            if (deadlineMs > 0) {
                all.get(deadlineMs, TimeUnit.MILLISECONDS);
            } else {
                all.get();
            }
        } catch (TimeoutException stragglers) {
            // decided without them: the vote counts silence as no
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("a branch of event {} failed outside its route: {}", attempt.event().id(), e.getCause().toString());
        }
    }

    /** A new exchange per branch: the phase route needs only the attempt, and sets up its own message. */
    private void send(String uri, SyncAttempt attempt) {
        Exchange done = template.send(endpoints.computeIfAbsent(uri, u -> template.getCamelContext().getEndpoint(u)),
                branch -> branch.setProperty(SyncAttempt.PROPERTY, attempt));
        if (done.getException() != null) {
            LOG.error("route {} of event {} failed: {}", uri, attempt.event().id(), done.getException().toString());
        }
    }
}
