package org.hmssync.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import org.hmssync.journal.GroupCommitJournal;

/**
 * The hash chain on the ledger's one writer: each line is linked as its batch is laid out, so the
 * chain costs one SHA-256 of the line and no lock. A checkpoint line gets the head it follows, signed
 * when there is a key, here too: only the writer knows which line comes just before it.
 */
final class ChainWriter implements GroupCommitJournal.LineSeal<LedgerLine> {

    private final ObjectMapper json;
    private final PrivateKey signingKey;
    /** Writer only. */
    private final LedgerChain chain = new LedgerChain(LedgerHead.GENESIS);
    /** Writer only: the time of the last line linked. */
    private String time;
    /** The last line on disk. */
    private volatile LedgerHead durable = LedgerHead.GENESIS;

    /** {@code signingKey}: signs checkpoints; null leaves them unsigned. */
    ChainWriter(ObjectMapper json, PrivateKey signingKey) {
        this.json = json;
        this.signingKey = signingKey;
    }

    /** Before the first write: the head of the lines already in the file. */
    void continueFrom(LedgerHead head) {
        durable = head;
        dropped();
    }

    @Override
    public byte[] seal(byte[] line, LedgerLine item) {
        byte[] linked = chain.link(item.isCheckpoint() ? checkpoint(item) : line);
        time = item.time();
        return linked;
    }

    private byte[] checkpoint(LedgerLine item) {
        LedgerHead before = new LedgerHead(chain.seq(), chain.hash(), time);
        String signature = signingKey == null ? null : Ed25519Keys.sign(signingKey, before.signedText());
        try {
            return json.writeValueAsBytes(item.checkpointOf(before, signature));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another hub may have written the last line of a shared table: the next line links to it. */
    @Override
    public void continueAfter(String lastLine) {
        durable = lastLine == null ? LedgerHead.GENESIS : headOf(lastLine);
        dropped();
    }

    /** The head a linked line stands for: its seq and hash, and its time. */
    LedgerHead headOf(String line) {
        LedgerChain.Link link = LedgerChain.Link.of(line);
        if (link == null) {
            throw new IllegalStateException("the ledger table's last line is not linked into the chain");
        }
        try {
            return new LedgerHead(link.seq(), link.hash(), json.readTree(line).path("time").asText(null));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void kept() {
        durable = new LedgerHead(chain.seq(), chain.hash(), time);
    }

    @Override
    public void dropped() {
        chain.restart(durable);
        time = durable.time();
    }

    LedgerHead head() {
        return durable;
    }
}
