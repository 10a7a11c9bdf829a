package org.hmssync.ledger;

import java.util.Map;

/**
 * How many events are in each status now, from the ledger's lines (so the same after a restart);
 * {@code undone} counts the rolled_back ones that an operator undid with their rollback token.
 */
public record StatusCounts(Map<EventStatus, Long> byStatus, long undone) {

    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
