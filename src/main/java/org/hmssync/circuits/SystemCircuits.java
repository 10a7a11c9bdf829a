package org.hmssync.circuits;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hmssync.settings.CircuitSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j circuit per external system, used by the {@code circuitBreaker} EIP of the
 * system's prepare and commit routes (bound in the registry as {@link #beanName}). Only
 * unavailability counts against a circuit ({@link Unavailability}). An open circuit moves to half
 * open after a wait that grows exponentially while the system stays down; then as many waiting
 * events as it lets through go as probes, and when they succeed the circuit closes and every
 * event waiting for it goes on.
 */
public final class SystemCircuits {

    private static final Logger LOG = LoggerFactory.getLogger(SystemCircuits.class);

    /** A circuit moved: {@code to} is {@code closed}, {@code open} or {@code half_open}. */
    public interface Listener {
        void changed(String system, String from, String to);
    }

    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final Map<String, Deque<CompletableFuture<Void>>> waiting = new LinkedHashMap<>();   // guarded by this
    private final Map<String, Long> probeUntil = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final long probeWindowMs;
    private final int probes;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SystemCircuits(List<String> systems, CircuitSettings settings, ScheduledExecutorService timer, long probeWindowMs) {
        this.timer = timer;
        this.probeWindowMs = probeWindowMs;
        this.probes = settings.halfOpenCalls();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(settings.openWaitMs(),
                        settings.openWaitMultiplier(), settings.openWaitMaxMs()))
                .recordException(Unavailability::isUnavailable)
                .ignoreException(Unavailability::isRefusal)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        Instant now = Instant.now();
        for (String system : systems) {
            CircuitBreaker breaker = registry.circuitBreaker(system);
            breakers.put(system, breaker);
            since.put(system, now);
            waiting.put(system, new ArrayDeque<>());
            breaker.getEventPublisher().onStateTransition(e -> moved(system, e.getStateTransition().getFromState(),
                    e.getStateTransition().getToState()));
        }
    }

    public static String beanName(String system) {
        return "hmsCircuit-" + system;
    }

    public Map<String, CircuitBreaker> breakers() {
        return Map.copyOf(breakers);
    }

    public List<String> systems() {
        return List.copyOf(breakers.keySet());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    public String state(String system) {
        return wire(breakers.get(system).getState());
    }

    public boolean isOpen(String system) {
        return breakers.get(system).getState() == CircuitBreaker.State.OPEN;
    }

    public boolean isClosed(String system) {
        CircuitBreaker.State state = breakers.get(system).getState();
        return state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.DISABLED;
    }

    /** Events waiting for the system now. */
    public synchronized int waiting(String system) {
        Deque<CompletableFuture<Void>> queue = waiting.get(system);
        queue.removeIf(CompletableFuture::isDone);
        return queue.size();
    }

    /**
     * Completes when the system is worth a call again: its circuit closed, or it is half open and
     * this is the one waiter let through as its probe. While the circuit is still closed (the
     * failures have not reached its threshold) it completes after {@code closedDelayMs}.
     */
    public synchronized CompletableFuture<Void> whenWorthTrying(String system, long closedDelayMs) {
        CircuitBreaker.State state = breakers.get(system).getState();
        if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.DISABLED) {
            CompletableFuture<Void> later = new CompletableFuture<>();
            timer.schedule(() -> later.complete(null), closedDelayMs, TimeUnit.MILLISECONDS);
            return later;
        }
        if (state == CircuitBreaker.State.HALF_OPEN && takeProbe(system)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiting.get(system).add(waiter);
        return waiter;
    }

    /** {@code GET /systems}: each circuit, since when it is in its state, and the events waiting for it. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        for (String system : breakers.keySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("circuit", state(system));
            one.put("since", since.get(system).toString());
            one.put("held_events", waiting(system));
            view.put(system, one);
        }
        return view;
    }

    private void moved(String system, CircuitBreaker.State from, CircuitBreaker.State to) {
        since.put(system, Instant.now());
        String was = wire(from);
        String now = wire(to);
        if (to == CircuitBreaker.State.OPEN) {
            LOG.warn("circuit of {} is open ({} -> open): events that need it {}", system, was, "wait or fail fast, as HMS_HOLD_MAX_S says");
        } else {
            LOG.info("circuit of {}: {} -> {}", system, was, now);
        }
        synchronized (this) {
            probeUntil.remove(system);
            if (to == CircuitBreaker.State.CLOSED) {
                Deque<CompletableFuture<Void>> queue = waiting.get(system);
                while (!queue.isEmpty()) {
                    queue.poll().complete(null);
                }
            } else if (to == CircuitBreaker.State.HALF_OPEN) {
                wakeProbe(system);
            }
        }
        listeners.forEach(l -> {
            try {
                l.changed(system, was, now);
            } catch (RuntimeException e) {
                LOG.warn("a listener of the circuit of {} failed: {}", system, e.toString());
            }
        });
    }

    /** Half open: the first waiters go as its probes; if their calls never come, the next go after the probe window. */
    private void wakeProbe(String system) {
        Deque<CompletableFuture<Void>> queue = waiting.get(system);
        queue.removeIf(CompletableFuture::isDone);
        if (!queue.isEmpty() && takeProbe(system)) {
            for (int i = 0; i < probes && !queue.isEmpty(); i++) {
                queue.poll().complete(null);
            }
            timer.schedule(() -> {
                synchronized (this) {
                    if (breakers.get(system).getState() == CircuitBreaker.State.HALF_OPEN
                            && probeUntil.getOrDefault(system, 0L) <= System.currentTimeMillis()) {
                        wakeProbe(system);
                    }
                }
            }, probeWindowMs + 10, TimeUnit.MILLISECONDS);
        }
    }

    private boolean takeProbe(String system) {
        long now = System.currentTimeMillis();
        if (probeUntil.getOrDefault(system, 0L) > now) {
            return false;
        }
        probeUntil.put(system, now + probeWindowMs);
        return true;
    }

    private static String wire(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> "closed";
            case HALF_OPEN -> "half_open";
            default -> state.name().toLowerCase(Locale.ROOT);
        };
    }
}
