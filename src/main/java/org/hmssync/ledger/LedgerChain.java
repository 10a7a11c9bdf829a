package org.hmssync.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ledger's hash chain (contract section 5), the one implementation the writer, the start-up
 * check and the commands share. A line ends {@code ,"seq":N,"hash":"H"}}: N counts the lines from 1,
 * and H is the lowercase hex SHA-256 of the previous line's H as 64 ASCII characters (64 zeros before
 * the first line) followed by the UTF-8 bytes of this line with {@code ,"hash":"H"} removed (so ending
 * {@code ,"seq":N}}). An instance belongs to one thread: it keeps its digest and the head it links to.
 */
public final class LedgerChain {

    private static final byte[] SEQ = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final String HASH = ",\"hash\":\"";
    private static final byte[] HASH_BYTES = HASH.getBytes(StandardCharsets.US_ASCII);
    private static final int HEX_LENGTH = 64;
    /** {@code ,"hash":"} + 64 hex digits + {@code "}}: how a linked line ends. */
    private static final int HASH_TAIL = HASH.length() + HEX_LENGTH + 2;
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;
    private long seq;
    private String hash;

    public LedgerChain(LedgerHead head) {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        restart(head);
    }

    /** Links the next line onto {@code head}, as if every line after it had never been. */
    public void restart(LedgerHead head) {
        this.seq = head.seq();
        this.hash = head.hash();
    }

    public long seq() {
        return seq;
    }

    public String hash() {
        return hash;
    }

    /**
     * The line as written: {@code content} (one compact JSON object, without seq and hash) with
     * {@code ,"seq":N,"hash":"H"} added as its last members. The head moves onto it.
     */
    public byte[] link(byte[] content) {
        int open = content.length - 1;   // the object without its closing brace
        if (open < 1 || content[open] != '}') {
            throw new IllegalArgumentException("a ledger line is one JSON object, ending with }");
        }
        long next = seq + 1;
        byte[] number = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[open + SEQ.length + number.length + HASH_TAIL];
        System.arraycopy(content, 0, line, 0, open);
        int at = open;
        System.arraycopy(SEQ, 0, line, at, SEQ.length);
        at += SEQ.length;
        System.arraycopy(number, 0, line, at, number.length);
        at += number.length;
        line[at] = '}';
        String linked = digest(hash, line, at + 1);
        System.arraycopy(HASH_BYTES, 0, line, at, HASH_BYTES.length);   // replaces the brace hashed above
        at += HASH_BYTES.length;
        for (int i = 0; i < HEX_LENGTH; i++) {
            line[at++] = (byte) linked.charAt(i);
        }
        line[at++] = '"';
        line[at] = '}';
        seq = next;
        hash = linked;
        return line;
    }

    private String digest(String previous, byte[] text, int length) {
        sha256.update(previous.getBytes(StandardCharsets.US_ASCII));
        sha256.update(text, 0, length);
        return HEX.formatHex(sha256.digest());
    }

    /** The hash a line must carry after {@code previous}, {@code unhashed} being its text without the hash member. */
    public String hashAfter(String previous, String unhashed) {
        byte[] text = unhashed.getBytes(StandardCharsets.UTF_8);
        return digest(previous, text, text.length);
    }

    /** A line as the chain reads it: its seq and hash, and its text without the hash member; null when it is not linked. */
    public record Link(long seq, String hash, String unhashed) {

        /** Parses the last two members, {@code ,"seq":N,"hash":"H"}}; null when the line does not end so. */
        public static Link of(String line) {
            int tail = line.length() - HASH_TAIL;
            if (tail < 0 || !line.startsWith(HASH, tail) || !line.endsWith("\"}")) {
                return null;
            }
            String hash = line.substring(tail + HASH.length(), tail + HASH.length() + HEX_LENGTH);
            for (int i = 0; i < HEX_LENGTH; i++) {
                char c = hash.charAt(i);
                if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                    return null;
                }
            }
            int digits = tail;
            while (digits > 0 && Character.isDigit(line.charAt(digits - 1)) && tail - digits < 18) {
                digits--;
            }
            String seqMember = ",\"seq\":";
            if (digits == tail || !line.startsWith(seqMember, digits - seqMember.length()) || line.charAt(digits) == '0') {
                return null;
            }
            return new Link(Long.parseLong(line.substring(digits, tail)), hash, line.substring(0, tail) + "}");
        }
    }
}
