package org.hmssync.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signed proofs of how an event ended ({@code GET /events/{id}/proof}): its ledger lines as written,
 * with seq and hash; its status and each system's final state, as those lines fold; the chain's head
 * when the proof was made; and, as the last member, an Ed25519 signature over the proof's exact
 * UTF-8 text with {@code ,"signature":"..."} removed (the chain's own rule, so no JSON canonical form
 * is needed). Anyone with the public key checks one offline ({@code verify-proof}).
 */
public final class EventProofs {

    /** The proof's first member: what the signed text is, so a signature never passes for another document. */
    public static final String KIND = "hms-sync event proof";
    private static final String SIGNATURE = ",\"signature\":\"";

    private final SyncLedger ledger;
    private final ObjectMapper json;
    private final PrivateKey key;
    private final Clock clock;

    /** {@code key}: null when the hub has none, and then it gives no proofs. */
    public EventProofs(SyncLedger ledger, ObjectMapper json, PrivateKey key, Clock clock) {
        this.ledger = ledger;
        this.json = json;
        this.key = key;
        this.clock = clock;
    }

    public boolean signing() {
        return key != null;
    }

    /** What {@link #proof} found: the event's status, and the signed proof when that status is final (else null). */
    public record Proof(EventStatus status, String text) {
    }

    /** The event's proof as its lines on disk stand now; empty for an unknown event. Needs {@link #signing}. */
    public Optional<Proof> proof(String eventId) {
        List<LedgerLine> lines = ledger.linesOf(eventId);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        EventRecord record = EventRecord.of(eventId, lines);   // from the very lines the proof shows
        if (!record.status().isFinal()) {
            return Optional.of(new Proof(record.status(), null));
        }
        ObjectNode proof = json.createObjectNode();
        proof.put("proof", KIND);
        proof.put("event_id", eventId);
        proof.put("status", record.status().wire());
        proof.set("systems", json.valueToTree(record.systemStates()));
        proof.set("lines", json.valueToTree(lines));
        proof.set("head", json.valueToTree(ledger.head()));
        proof.put("signed_at", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        String unsigned = text(proof);
        String signature = Ed25519Keys.sign(key, unsigned.getBytes(StandardCharsets.UTF_8));
        return Optional.of(new Proof(record.status(), unsigned.substring(0, unsigned.length() - 1) + SIGNATURE + signature + "\"}"));
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof that checked out: what it says. */
    public record Verified(String eventId, String status, Map<String, String> systems, List<Long> seqs, LedgerHead head, String signedAt) {
    }

    /** Why a proof does not check out. */
    public static final class InvalidProof extends Exception {
        public InvalidProof(String message) {
            super(message);
        }
    }

    /**
     * Checks a proof's signature with {@code key}, then that it says what its lines say: every line
     * is the event's, linked (seq rising, a hash), at or before the head, and they fold to the status
     * and system states it claims.
     */
    public static Verified verify(String text, PublicKey key, ObjectMapper json) throws InvalidProof {
        String proof = text.strip();
        int at = proof.lastIndexOf(SIGNATURE);
        if (at < 0 || !proof.endsWith("\"}")) {
            throw new InvalidProof("it does not end with a \"signature\" member");
        }
        String unsigned = proof.substring(0, at) + "}";
        String signature = proof.substring(at + SIGNATURE.length(), proof.length() - 2);
        if (!Ed25519Keys.verifies(key, unsigned.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new InvalidProof("its signature does not verify with this public key (changed, or signed by another key)");
        }
        try {
            JsonNode node = json.readTree(unsigned);
            if (!KIND.equals(node.path("proof").asText())) {
                throw new InvalidProof("it is not an event proof (\"proof\" is not \"" + KIND + "\")");
            }
            String eventId = node.path("event_id").asText();
            LedgerHead head = json.treeToValue(node.path("head"), LedgerHead.class);
            List<LedgerLine> lines = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (JsonNode item : node.path("lines")) {
                LedgerLine line = json.treeToValue(item, LedgerLine.class);
                long previous = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
                if (!eventId.equals(line.eventId()) || line.seq() == null || line.seq() <= previous || line.seq() > head.seq()
                        || line.hash() == null || !line.hash().matches("[0-9a-f]{64}")) {
                    throw new InvalidProof("line " + (seqs.size() + 1) + " of the proof is not a linked line of event " + eventId
                            + " at or before the head");
                }
                lines.add(line);
                seqs.add(line.seq());
            }
            if (lines.isEmpty()) {
                throw new InvalidProof("it has no ledger lines");
            }
            EventRecord fold = EventRecord.of(eventId, lines);
            Map<String, String> systems = json.convertValue(node.path("systems"),
                    json.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            if (!fold.status().wire().equals(node.path("status").asText()) || !fold.systemStates().equals(systems)) {
                throw new InvalidProof("its lines fold to status " + fold.status().wire() + " " + fold.systemStates()
                        + ", not what it claims");
            }
            return new Verified(eventId, fold.status().wire(), fold.systemStates(), seqs, head, node.path("signed_at").asText());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidProof("it is not a whole proof: " + e.getMessage());
        }
    }
}
