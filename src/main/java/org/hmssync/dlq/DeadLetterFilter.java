package org.hmssync.dlq;

import java.util.Locale;
import java.util.Set;

/**
 * Which parked events a DLQ list or a bulk replay is about. Every criterion given must match; an
 * absent one (null) matches everything.
 * <ul>
 * <li>{@code batchId}: the event's {@code batch_id}, exactly;</li>
 * <li>{@code system}: a system whose state in the parked entry is a failure ({@link #FAILED_STATES});</li>
 * <li>{@code reason}: a substring of the reason, case-insensitive;</li>
 * <li>{@code ids}: the event is one of these.</li>
 * </ul>
 */
public final class DeadLetterFilter {

    /**
     * The states of a system that count as its failure (the ledger's per-system states:
     * {@code refused} at prepare, {@code commit_failed}, {@code rollback_failed}); the others,
     * {@code pending}, {@code prepared}, {@code committed}, {@code rolled_back}, are not.
     */
    public static final Set<String> FAILED_STATES = Set.of("refused", "commit_failed", "rollback_failed");

    public static final DeadLetterFilter NONE = new DeadLetterFilter(null, null, null, null);

    private final String batchId;
    private final String system;
    private final String reason;
    private final String reasonFolded;
    private final Set<String> ids;

    public DeadLetterFilter(String batchId, String system, String reason, Set<String> ids) {
        this.batchId = batchId;
        this.system = system;
        this.reason = reason;
        this.reasonFolded = reason == null ? null : reason.toLowerCase(Locale.ROOT);
        this.ids = ids == null ? null : Set.copyOf(ids);
    }

    /** True when no criterion is given: it matches every parked event. */
    public boolean isEmpty() {
        return batchId == null && system == null && reason == null && ids == null;
    }

    public boolean matches(ParkedEvent parked) {
        if (ids != null && !ids.contains(parked.id())) {
            return false;
        }
        if (batchId != null && !batchId.equals(parked.batchId())) {
            return false;
        }
        if (reason != null && (parked.reason() == null || !parked.reason().toLowerCase(Locale.ROOT).contains(reasonFolded))) {
            return false;
        }
        return system == null || failed(parked, system);
    }

    /** The system's state as the parked entry has it is a failure. */
    static boolean failed(ParkedEvent parked, String system) {
        String state = parked.stateOf(system);
        return state != null && FAILED_STATES.contains(state);
    }

    public String batchId() {
        return batchId;
    }

    public String system() {
        return system;
    }

    public String reason() {
        return reason;
    }

    public Set<String> ids() {
        return ids;
    }

    @Override
    public String toString() {
        return "DeadLetterFilter[batch_id=" + batchId + ", system=" + system + ", reason=" + reason
                + ", ids=" + (ids == null ? null : ids.size() + " ids") + "]";
    }
}
