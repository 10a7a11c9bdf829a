package org.hmssync.circuits;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Tells a system that is unavailable (a 5xx, a timeout, a refused or lost connection, an open
 * circuit) from one that answered no (a 4xx, a record the layout cannot hold). Only the first
 * counts against the system's circuit and holds an event; the second is a real no.
 */
public final class Unavailability {

    private Unavailability() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() >= 500 || http.getStatusCode() == 429 || http.getStatusCode() == 408;
            }
            if (t instanceof CallNotPermittedException || t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A 4xx or another refusal: neither a failure nor a success of the system's availability. */
    public static boolean isRefusal(Throwable failure) {
        return !isUnavailable(failure);
    }

    public static boolean isOpenCircuit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }
}
