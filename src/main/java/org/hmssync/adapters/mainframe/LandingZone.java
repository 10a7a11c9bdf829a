package org.hmssync.adapters.mainframe;

import java.io.IOException;

/**
 * Where committed records wait for the mainframe batch: one file per event ({@link MainframeDrop},
 * the default) or one file per batch window ({@link BatchWindowDrop}, HMS_MAINFRAME_MODE=window). The
 * mainframe adapter's three routes call these, whichever mode is on; every call is safe to repeat.
 */
public interface LandingZone {

    /** Prepare: the rendered file (H, D, T) waits in staging, complete and on disk. */
    void stage(String id, byte[] file) throws IOException;

    /** Commit: the staged records become visible to the batch (now, or when the window closes). */
    void publish(String id) throws IOException;

    /** Rollback, first half: takes back what the batch has not got; true when a reversal must follow. */
    boolean withdraw(String id) throws IOException;

    /** Rollback, second half: publishes the reversal (R record) for an event the batch already has. */
    void publishReversal(String id, byte[] file) throws IOException;
}
