package org.hmssync.observe;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the alerts, by kind and outcome: {@code sent} (the webhook took it, retries
 * included), {@code failed} (every attempt failed), {@code dropped} (its queue was full). Every
 * kind starts at 0, so {@code sync_alerts_total} exists before the first alert.
 */
public final class AlertCounts {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String DROPPED = "dropped";
    public static final List<String> OUTCOMES = List.of(SENT, FAILED, DROPPED);

    private record Key(String kind, String outcome) { }

    private final List<String> kinds;
    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    public AlertCounts(Collection<String> kinds) {
        this.kinds = List.copyOf(kinds);
        for (String kind : this.kinds) {
            for (String outcome : OUTCOMES) {
                counts.put(new Key(kind, outcome), new AtomicLong());
            }
        }
    }

    public List<String> kinds() {
        return kinds;
    }

    void add(String kind, String outcome) {
        AtomicLong count = counts.get(new Key(kind, outcome));
        if (count == null) {
            throw new IllegalArgumentException("unknown alert kind or outcome: " + kind + ", " + outcome);
        }
        count.incrementAndGet();
    }

    public long get(String kind, String outcome) {
        AtomicLong count = counts.get(new Key(kind, outcome));
        return count == null ? 0 : count.get();
    }
}
