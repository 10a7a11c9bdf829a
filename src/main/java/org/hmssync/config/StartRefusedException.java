package org.hmssync.config;

/**
 * The hub will not start, and the message says why in lines a person acts on (a file and line, a
 * setting): printed as it is, without a stack trace.
 */
public final class StartRefusedException extends RuntimeException {

    public StartRefusedException(String message) {
        super(message, null, false, false);
    }
}
