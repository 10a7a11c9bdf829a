package org.hmssync.ingress;

/** Echoes a caller's id back in an error without control characters or unbounded length. */
final class Printable {

    private Printable() {
    }

    static String id(String id) {
        String s = id == null ? "" : id.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
