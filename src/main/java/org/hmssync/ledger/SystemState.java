package org.hmssync.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the ledger says of one external system for one event: the last result of each phase. */
final class SystemState {

    private String prepare;
    private String commit;
    private String rollback;
    private int commitAttempts;
    private int rollbackAttempts;
    private String error;

    void apply(LedgerLine line) {
        int attempt = line.attempt() == null ? 1 : line.attempt();
        switch (line.action()) {
            case LedgerLine.PREPARE -> prepare = line.result();
            case LedgerLine.COMMIT -> {
                commit = line.result();
                commitAttempts = Math.max(commitAttempts, attempt);
            }
            case LedgerLine.ROLLBACK -> {
                rollback = line.result();
                rollbackAttempts = Math.max(rollbackAttempts, attempt);
            }
            default -> { }
        }
        if (LedgerLine.FAILURE.equals(line.result())) {
            error = line.error();
        } else if (line.error() == null) {
            error = null;
        }
    }

    boolean committed() {
        return LedgerLine.SUCCESS.equals(commit) && !LedgerLine.SUCCESS.equals(rollback);
    }

    /** One word a person can act on: where this system stands now. */
    String state() {
        if (rollback != null) {
            return LedgerLine.SUCCESS.equals(rollback) ? "rolled_back" : "rollback_failed";
        }
        if (commit != null) {
            return LedgerLine.SUCCESS.equals(commit) ? "committed" : "commit_failed";
        }
        if (prepare != null) {
            return LedgerLine.SUCCESS.equals(prepare) ? "prepared" : "refused";
        }
        return "pending";
    }

    Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("state", state());
        v.put("prepare", prepare);
        v.put("commit", commit);
        v.put("rollback", rollback);
        if (commitAttempts > 0) {
            v.put("commit_attempts", commitAttempts);
        }
        if (rollbackAttempts > 0) {
            v.put("rollback_attempts", rollbackAttempts);
        }
        if (error != null) {
            v.put("error", error);
        }
        return v;
    }
}
