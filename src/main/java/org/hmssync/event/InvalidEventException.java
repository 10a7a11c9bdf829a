package org.hmssync.event;

import java.util.List;

/** The body is not a valid sync event; {@link #status()} is the HTTP answer it deserves. */
public final class InvalidEventException extends RuntimeException {

    private final int status;
    private final List<Violation> violations;

    public InvalidEventException(int status, String message, List<Violation> violations) {
        super(message);
        this.status = status;
        this.violations = List.copyOf(violations);
    }

    public int status() {
        return status;
    }

    public List<Violation> violations() {
        return violations;
    }
}
