package org.hmssync.ledger;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Short, human reasons for the ledger and the DLQ. Never a stack trace, never a URL (it may carry
 * credentials), never more than {@value #MAX} characters.
 */
public final class FailureReasons {

    static final int MAX = 200;

    private FailureReasons() {
    }

    public static String of(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable cause = rootMost(failure);
        String text;
        if (cause instanceof HttpOperationFailedException http) {
            text = "HTTP " + http.getStatusCode() + (http.getStatusText() == null ? "" : " " + http.getStatusText());
        } else if (cause instanceof java.net.ConnectException) {
            text = "connection refused";
        } else if (cause instanceof java.net.SocketTimeoutException) {
            text = "timed out waiting for an answer";
        } else if (cause instanceof java.net.SocketException || cause instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            text = "connection lost: " + cause.getMessage();
        } else {
            String message = cause.getMessage();
            text = message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
        }
        return bounded(text.replaceAll("https?://\\S+", "<url>").replaceAll("\\s+", " "));
    }

    public static String bounded(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "…";
    }

    private static Throwable rootMost(Throwable failure) {
        Throwable t = failure;
        while (!(t instanceof HttpOperationFailedException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
