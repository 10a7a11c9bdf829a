package org.hmssync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hmssync.config.HubJson;
import org.junit.jupiter.api.Test;

/** The chain's rule, worked by hand, and the check that names the first line a change breaks. */
class LedgerChainTest {

    static final String ZEROS = "0".repeat(64);
    final ObjectMapper json = HubJson.mapper();

    @Test
    void aLineCarriesSeqAndAsItsLastMemberTheSha256OfThePreviousHashAndItsOwnTextWithoutIt() throws Exception {
        LedgerChain chain = new LedgerChain(LedgerHead.GENESIS);
        String first = new String(chain.link(bytes("{\"time\":\"t1\",\"event_id\":\"e-1\"}")), StandardCharsets.UTF_8);
        String second = new String(chain.link(bytes("{\"time\":\"t2\",\"error\":\"ünïcode\"}")), StandardCharsets.UTF_8);

        String firstHash = sha256(ZEROS + "{\"time\":\"t1\",\"event_id\":\"e-1\",\"seq\":1}");
        assertThat(first).isEqualTo("{\"time\":\"t1\",\"event_id\":\"e-1\",\"seq\":1,\"hash\":\"" + firstHash + "\"}");
        String secondHash = sha256(firstHash + "{\"time\":\"t2\",\"error\":\"ünïcode\",\"seq\":2}");
        assertThat(second).endsWith(",\"seq\":2,\"hash\":\"" + secondHash + "\"}");
        assertThat(chain.seq()).isEqualTo(2);
        assertThat(chain.hash()).isEqualTo(secondHash);
        assertThat(json.readValue(second, LedgerLine.class).hash()).as("read back as a ledger line").isEqualTo(secondHash);
        assertThat(json.readValue(second, LedgerLine.class).seq()).isEqualTo(2L);
    }

    @Test
    void aLedgerLineWrittenByTheHubIsTheJsonOfItsFieldsWithSeqAndHashLast() throws Exception {
        LedgerLine line = new LedgerLine("2026-11-27T02:14:11Z", "e-1", "hub", "commit", "success", null, null, null, "b-1");
        String written = new String(new LedgerChain(LedgerHead.GENESIS).link(json.writeValueAsBytes(line)), StandardCharsets.UTF_8);
        assertThat(written).startsWith("{\"time\":\"2026-11-27T02:14:11Z\",\"event_id\":\"e-1\",\"batch_id\":\"b-1\",\"system\":\"hub\","
                + "\"action\":\"commit\",\"result\":\"success\",\"seq\":1,\"hash\":\"");
        LedgerLine readBack = json.readValue(written, LedgerLine.class);
        assertThat(readBack.batchId()).isEqualTo("b-1");
        assertThat(readBack.seq()).isEqualTo(1L);
        assertThat(readBack.isCheckpoint()).isFalse();
    }

    @Test
    void theCheckPassesAnUntouchedChainAndSkipsALineACrashCutShort() {
        List<String> lines = ledger(6);
        lines.add(3, "{\"time\":\"2026-11-27T0");   // a torn write a restart sealed with a newline
        ChainCheck check = check(lines);
        assertThat(check.firstBreak()).isEmpty();
        assertThat(check.torn()).containsExactly(4L);
        assertThat(check.lines()).isEqualTo(7);
        assertThat(check.head().seq()).isEqualTo(6);
        assertThat(check.head().hash()).isEqualTo(LedgerChain.Link.of(lines.get(6)).hash());
        assertThat(check.head().time()).isEqualTo("t6");
    }

    @Test
    void anEditedByteARemovedLineASwapAndAnInsertedLineAreEachNamedByLineAndSeq() {
        List<String> edited = ledger(6);
        edited.set(2, edited.get(2).replace("e-3", "e-X"));
        assertThat(breakOf(edited)).startsWith("line 3 (seq 3): its hash does not match");

        List<String> removed = ledger(6);
        removed.remove(3);
        assertThat(breakOf(removed)).startsWith("line 4 (seq 5): seq 5 where 4 was expected");

        List<String> swapped = ledger(6);
        swapped.add(2, swapped.remove(3));
        assertThat(breakOf(swapped)).startsWith("line 3 (seq 4): seq 4 where 3 was expected");

        List<String> inserted = ledger(6);
        inserted.add(4, inserted.get(4).replace("e-5", "forged"));
        assertThat(breakOf(inserted)).startsWith("line 5 (seq 5): its hash does not match");

        List<String> unhashed = ledger(6);
        unhashed.set(5, LedgerChain.Link.of(unhashed.get(5)).unhashed());
        assertThat(breakOf(unhashed)).startsWith("line 6: has no seq and hash where the chain expects seq 6");
    }

    @Test
    void aChainRewrittenAfterAnInsertionPassesAloneButNotAgainstAKeptHeadOrACutAgainstIt() {
        List<String> original = ledger(6);
        LedgerChain.Link kept = LedgerChain.Link.of(original.get(4));
        List<String> forged = Forger.relinked(original, 2, "{\"time\":\"t2\",\"event_id\":\"forged\"}");
        assertThat(check(forged).firstBreak()).as("every hash redone").isEmpty();
        assertThat(breakOf(forged, Map.of(kept.seq(), kept.hash()))).startsWith("line 5 (seq 5): its hash is ");

        List<String> cut = new ArrayList<>(original.subList(0, 3));
        assertThat(breakOf(cut, Map.of(kept.seq(), kept.hash()))).startsWith("line 4: the file ends at seq 3 but a kept head names seq 5");
    }

    @Test
    void aSignedCheckpointNamesTheHeadBeforeItAndARewriteCannotSignIt() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ChainWriter writer = new ChainWriter(json, keys.getPrivate());
        writer.continueFrom(LedgerHead.GENESIS);
        LedgerLines lines = new LedgerLines(java.time.Clock.systemUTC());
        List<String> file = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            LedgerLine line = i == 3 ? lines.checkpoint() : lines.hub("e-" + i, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null);
            file.add(new String(writer.seal(json.writeValueAsBytes(line), line), StandardCharsets.UTF_8));
        }
        writer.kept();
        assertThat(writer.head().seq()).isEqualTo(4);
        LedgerLine checkpoint = json.readValue(file.get(2), LedgerLine.class);
        assertThat(checkpoint.head().seq()).isEqualTo(2);
        assertThat(checkpoint.head().hash()).isEqualTo(LedgerChain.Link.of(file.get(1)).hash());
        assertThat(Ed25519Keys.verifies(keys.getPublic(), checkpoint.head().signedText(), checkpoint.signature())).isTrue();
        ChainCheck signed = new ChainCheck(keys.getPublic(), Map.of());
        file.forEach(signed::line);
        assertThat(signed.firstBreak()).isEmpty();
        assertThat(signed.checkpoints()).isEqualTo(1);

        // a forger inserts a line, redoes every hash and the checkpoint's head, but cannot sign it
        List<String> forged = Forger.relinked(file, 1, "{\"time\":\"t\",\"event_id\":\"forged\"}");
        ChainCheck againstKey = new ChainCheck(keys.getPublic(), Map.of());
        forged.forEach(againstKey::line);
        assertThat(againstKey.firstBreak().orElseThrow().toString()).startsWith("line 4 (seq 4): the checkpoint's signature does not verify");
        LedgerLine before = json.readValue(forged.get(3), LedgerLine.class);
        assertThat(before.head().seq()).as("the forger's head is right, only the signature is not").isEqualTo(3);
    }

    /** {@code n} linked lines, as the writer makes them. */
    private static List<String> ledger(int n) {
        LedgerChain chain = new LedgerChain(LedgerHead.GENESIS);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            lines.add(new String(chain.link(bytes("{\"time\":\"t" + i + "\",\"event_id\":\"e-" + i + "\"}")), StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static ChainCheck check(List<String> lines) {
        return check(lines, Map.of());
    }

    private static ChainCheck check(List<String> lines, Map<Long, String> kept) {
        ChainCheck check = new ChainCheck(null, kept);
        lines.forEach(check::line);
        check.end();
        return check;
    }

    private static String breakOf(List<String> lines) {
        return breakOf(lines, Map.of());
    }

    private static String breakOf(List<String> lines, Map<Long, String> kept) {
        return check(lines, kept).firstBreak().orElseThrow().toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
