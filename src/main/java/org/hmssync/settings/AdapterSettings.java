package org.hmssync.settings;

import java.util.Set;

/**
 * One external system as configured under {@code hms.adapter.<name>.*}: which event types it
 * follows, an optional Camel {@code simple} predicate on the event, its prepare deadline and retries.
 */
public record AdapterSettings(String name, Set<String> eventTypes, String when, long prepareTimeoutMs,
                              RetrySettings retry) {

    public static final String ANY_TYPE = "*";

    public boolean follows(String type) {
        return eventTypes.contains(ANY_TYPE) || eventTypes.contains(type);
    }
}
