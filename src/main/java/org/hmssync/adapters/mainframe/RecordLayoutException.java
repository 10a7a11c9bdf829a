package org.hmssync.adapters.mainframe;

/** The event cannot be written exactly in the copybook's layout: a no vote, with this reason. */
public final class RecordLayoutException extends RuntimeException {

    public RecordLayoutException(String reason) {
        super(reason, null, false, false);
    }
}
