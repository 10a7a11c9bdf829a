package org.hmssync.coordinator;

/** Message headers the hub sets for adapters (contract section 6). */
public final class HmsHeaders {

    /** The event id, which is also its rollback token. */
    public static final String ROLLBACK_TOKEN = "HmsRollbackToken";

    private HmsHeaders() {
    }
}
