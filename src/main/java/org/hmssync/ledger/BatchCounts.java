package org.hmssync.ledger;

import java.util.Map;

/**
 * One batch as its ledger lines count it: its events by status, each system's states, how many
 * were committed in their current attempt ({@code committedOnce}) and how many of those are undone;
 * {@code settled} when none is running or committed.
 */
public record BatchCounts(long events, Map<String, Long> byStatus, Map<String, Map<String, Long>> systems, long committedOnce,
                          long undone, boolean settled) {
}
