package org.hmssync.journal;

/**
 * Where a line lies in a journal file, packed in one {@code long} (byte offset in the high 40 bits,
 * length in the low 24) so that an index of every event costs a few bytes a line, not a copy of it.
 */
public final class LineSpan {

    private static final int LENGTH_BITS = 24;
    private static final long MAX_LENGTH = (1L << LENGTH_BITS) - 1;
    private static final long MAX_OFFSET = (1L << (Long.SIZE - LENGTH_BITS)) - 1;

    private LineSpan() {
    }

    public static long of(long offset, int length) {
        if (offset < 0 || offset > MAX_OFFSET || length < 0 || length > MAX_LENGTH) {
            // 1 TiB files and 16 MiB lines are far beyond what the hub writes (events are at most 256 KiB)
            throw new IllegalArgumentException("a line of " + length + " bytes at byte " + offset + " is beyond what a span holds");
        }
        return offset << LENGTH_BITS | length;
    }

    public static long offset(long span) {
        return span >>> LENGTH_BITS;
    }

    public static int length(long span) {
        return (int) (span & MAX_LENGTH);
    }
}
