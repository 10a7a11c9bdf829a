package org.hmssync.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;

/**
 * The last line of the ledger's hash chain: its {@code seq}, its {@code hash} and its {@code time}
 * ({@code GET /ledger/head}; the {@code head} of a checkpoint line). Publishing it elsewhere pins
 * every line up to it: no line before it can change without changing this hash.
 */
public record LedgerHead(@JsonProperty("seq") long seq, @JsonProperty("hash") String hash, @JsonProperty("time") String time) {

    /** Before the first line: seq 0 and 64 zeros. */
    public static final LedgerHead GENESIS = new LedgerHead(0, "0".repeat(64), null);

    /**
     * The bytes a checkpoint's signature covers: {@code hms-sync ledger head <seq> <hash>} in ASCII,
     * so a signed head can be checked with any Ed25519 tool and never passes for another document.
     */
    public byte[] signedText() {
        return ("hms-sync ledger head " + seq + " " + hash).getBytes(StandardCharsets.US_ASCII);
    }
}
