package org.hmssync.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hmssync.journal.GroupCommitJournal;
import org.hmssync.journal.LineSpan;

/**
 * Checks a ledger's lines against its hash chain, line by line in file order, and remembers the
 * first line that breaks it. A line that is not whole JSON is a write a crash cut short (the hub
 * ends it with a newline at its next start and skips it): it carries nothing, and the chain runs
 * across it. After a break the check follows the chain the lines state, so its head is the last
 * line's (where a hub told to accept the break links its next line).
 */
public final class ChainCheck {

    /** The first line that does not verify: 1-based in the file, its seq when it has one. */
    public record Break(long line, Long seq, String reason) {
        @Override
        public String toString() {
            return "line " + line + (seq == null ? "" : " (seq " + seq + ")") + ": " + reason;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKPOINT_MARK = "\"event_id\":\"" + LedgerLine.CHECKPOINT_ID + "\"";

    private final LedgerChain chain = new LedgerChain(LedgerHead.GENESIS);
    private final PublicKey checkpointKey;
    /** Heads kept elsewhere (published, or from a checkpoint someone kept), by seq, not yet met. */
    private final TreeMap<Long, String> keptHeads;
    private LedgerHead head = LedgerHead.GENESIS;
    private long lines;
    private final List<Long> torn = new ArrayList<>();
    private boolean tornTail;
    private boolean unchained;
    private long checkpoints;
    private Break firstBreak;

    /** Checks the chain alone, and each checkpoint against the line before it. */
    public ChainCheck() {
        this(null, Map.of());
    }

    /**
     * Also checks each checkpoint's signature with {@code checkpointKey} (null: not checked), and
     * that the chain passes through every kept head ({@code seq -> hash}).
     */
    public ChainCheck(PublicKey checkpointKey, Map<Long, String> keptHeads) {
        this.checkpointKey = checkpointKey;
        this.keptHeads = new TreeMap<>(keptHeads);
    }

    /** Checks every line of {@code file}, a torn last line included, and returns this check. */
    public ChainCheck read(Path file) throws IOException {
        long[] end = {0};
        GroupCommitJournal.forEachLine(file, (text, span) -> {
            line(text);
            end[0] = LineSpan.offset(span) + LineSpan.length(span) + 1;
        });
        if (Files.size(file) > end[0]) {
            lastLineTorn();
        }
        end();
        return this;
    }

    /** The next whole line of the file (it ended with a newline). */
    public void line(String text) {
        lines++;
        LedgerChain.Link link = LedgerChain.Link.of(text);
        if (link == null) {
            unlinked(text);
            return;
        }
        String computed = chain.hashAfter(head.hash(), link.unhashed());
        if (firstBreak == null) {
            Optional<String> problem = problem(link, computed, text);
            problem.ifPresent(reason -> firstBreak = new Break(lines, link.seq(), reason));
        }
        head = new LedgerHead(link.seq(), link.hash(), timeOf(text));
    }

    /** A last line without its newline: a write cut short by a crash, not part of the chain. */
    public void lastLineTorn() {
        lines++;
        tornTail = true;
        torn.add(lines);
    }

    /** Once every line was read: a kept head beyond the last line means lines were cut off the end. */
    public void end() {
        if (firstBreak == null && !keptHeads.isEmpty()) {
            Map.Entry<Long, String> beyond = keptHeads.firstEntry();
            firstBreak = new Break(lines + 1, null, "the file ends at seq " + head.seq() + " but a kept head names seq "
                    + beyond.getKey() + " (" + beyond.getValue() + "): lines were cut off its end");
        }
    }

    private void unlinked(String text) {
        if (!isJson(text)) {
            torn.add(lines);
            return;
        }
        if (firstBreak == null) {
            unchained = head.seq() == 0;
            firstBreak = new Break(lines, null, unchained
                    ? "has no seq and hash: a ledger written before tamper evidence (java -jar hms-sync.jar migrate-ledger makes a chained copy)"
                    : "has no seq and hash where the chain expects seq " + (head.seq() + 1) + " (inserted, or its hash was removed)");
        }
    }

    private Optional<String> problem(LedgerChain.Link link, String computed, String text) {
        long expected = head.seq() + 1;
        if (link.seq() > expected) {
            return Optional.of("seq " + link.seq() + " where " + expected + " was expected: the line with seq " + expected
                    + " is not here (removed, or lines reordered)");
        }
        if (link.seq() < expected) {
            return Optional.of("seq " + link.seq() + " where " + expected + " was expected: a line inserted, or lines reordered");
        }
        if (!computed.equals(link.hash())) {
            return Optional.of("its hash does not match its text and the line before it: this line was edited, or the one before it "
                    + "replaced or inserted");
        }
        if (text.contains(CHECKPOINT_MARK)) {
            checkpoints++;
            Optional<String> checkpoint = checkpointProblem(text);
            if (checkpoint.isPresent()) {
                return checkpoint;
            }
        }
        String kept = keptHeads.remove(link.seq());
        if (kept != null && !kept.equals(link.hash())) {
            return Optional.of("its hash is " + link.hash() + " but a kept head says " + kept
                    + ": the chain up to here was written again (a line inserted, edited or removed before it, every hash after redone)");
        }
        return Optional.empty();
    }

    /** A checkpoint names the head just before it and, when a key is given, carries that head signed. */
    private Optional<String> checkpointProblem(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.of("a checkpoint that is not JSON");
        }
        JsonNode named = line.path("head");
        if (named.path("seq").asLong(-1) != head.seq() || !head.hash().equals(named.path("hash").asText())) {
            return Optional.of("the checkpoint names head seq " + named.path("seq").asText() + " " + named.path("hash").asText()
                    + " but the chain before it ends at seq " + head.seq() + " " + head.hash());
        }
        if (checkpointKey == null) {
            return Optional.empty();
        }
        String signature = line.path("signature").asText("");
        if (signature.isEmpty()) {
            return Optional.of("the checkpoint is not signed (a public key was given)");
        }
        return Ed25519Keys.verifies(checkpointKey, head.signedText(), signature) ? Optional.empty()
                : Optional.of("the checkpoint's signature does not verify with the public key given");
    }

    private static boolean isJson(String text) {
        if (text.isBlank()) {
            return false;
        }
        try {
            JSON.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** The hub writes {@code time} first; the head's time is shown, never checked. */
    private static String timeOf(String text) {
        String start = "{\"time\":\"";
        int end = text.startsWith(start) ? text.indexOf('"', start.length()) : -1;
        return end < 0 ? null : text.substring(start.length(), end);
    }

    /** Lines read so far, torn ones included. */
    public long lines() {
        return lines;
    }

    /** The last linked line (as it states itself after a break). */
    public LedgerHead head() {
        return head;
    }

    /** Lines a crash cut short, 1-based; skipped by every reader and by the chain. */
    public List<Long> torn() {
        return List.copyOf(torn);
    }

    /** The last line has no newline: a write cut short that no start has sealed yet. */
    public boolean endsTorn() {
        return tornTail;
    }

    /** The first line with content has no seq and hash: the file predates tamper evidence. */
    public boolean unchained() {
        return unchained;
    }

    public long checkpoints() {
        return checkpoints;
    }

    public Optional<Break> firstBreak() {
        return Optional.ofNullable(firstBreak);
    }
}
