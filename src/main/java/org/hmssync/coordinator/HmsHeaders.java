package org.hmssync.coordinator;

/** Message headers of the hub's runs (contract section 6 for the adapters'). */
public final class HmsHeaders {

    /** The event id, which is also its rollback token: the one header an adapter receives. */
    public static final String ROLLBACK_TOKEN = "HmsRollbackToken";

    /** Internal, to the coordinator's route: which {@link RunKind} of run the event gets. */
    public static final String RUN = "HmsRun";

    /** Exchange property after a run that ended held: the systems (a {@code List<String>}) the event waits for. */
    public static final String WAITS_FOR = "hmsWaitsFor";

    private HmsHeaders() {
    }
}
