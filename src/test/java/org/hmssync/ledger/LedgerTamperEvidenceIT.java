package org.hmssync.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.hmssync.support.HubProcess;
import org.hmssync.support.JarCommand;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub writes a real ledger (checkpoints every 10 lines, signed); then each kind of tampering
 * is done to a copy of the file on disk and {@code verify-ledger} must name its first line. The hub
 * itself refuses a broken chain and an unchained file, and starts on a broken one only when told.
 */
class LedgerTamperEvidenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 6;

    @TempDir
    static Path temp;
    static Path written;
    static List<String> original;
    static LedgerHead published;
    static Path privatePem;
    static Path publicPem;
    static String privateKeyText;

    @BeforeAll
    static void aHubWritesALedger() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        privatePem = pem(temp.resolve("signing.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
        publicPem = pem(temp.resolve("public.pem"), "PUBLIC KEY", keys.getPublic().getEncoded());
        privateKeyText = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
        written = temp.resolve("written");
        try (RunningHub hub = RunningHub.start(written, settings())) {
            for (int i = 1; i <= EVENTS; i++) {
                hub.postEvent(event("t-" + i, "OH", "OH-" + i, "5"));
                assertThat(hub.awaitFinal("t-" + i).path("status").asText()).isEqualTo("committed");
            }
            JsonNode head = json(hub.get("/ledger/head"));
            published = new LedgerHead(head.path("seq").asLong(), head.path("hash").asText(), head.path("time").asText());
        }
        original = Files.readAllLines(written.resolve("ledger.jsonl"));
    }

    private static Map<String, String> settings() {
        return Map.of("hms.ledger.checkpoint-lines", "10", "hms.ledger.signing-key-file", privatePem.toString());
    }

    @Test
    void theUntouchedLedgerVerifiesToTheHeadTheHubPublishedWithSignedCheckpointsThatAreNoEvents() throws Exception {
        JarCommand verified = verify(original, "--public-key", publicPem.toString(), "--head", published.seq() + ":" + published.hash());
        assertThat(verified.exitCode()).as(verified.printed()).isZero();
        LedgerChain.Link last = LedgerChain.Link.of(original.get(original.size() - 1));
        assertThat(verified.out()).contains("verifies: " + original.size() + " lines, head seq " + original.size() + " hash " + last.hash())
                .contains("each signature verified").contains("the chain passes through every kept head");

        // GET /ledger/head named a line of the file: its seq, hash and time
        String headLine = original.get((int) published.seq() - 1);
        assertThat(LedgerChain.Link.of(headLine).hash()).isEqualTo(published.hash());
        assertThat(JSON.readTree(headLine).path("time").asText()).isEqualTo(published.time());

        List<JsonNode> checkpoints = original.stream().filter(l -> l.contains("\"action\":\"checkpoint\"")).map(LedgerTamperEvidenceIT::tree).toList();
        assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(EVENTS * 8 / 10 - 1);
        assertThat(checkpoints).allSatisfy(c -> {
            assertThat(c.path("event_id").asText()).isEqualTo(".checkpoint");
            assertThat(c.path("system").asText()).isEqualTo("hub");
            assertThat(c.path("head").path("seq").asLong()).isEqualTo(c.path("seq").asLong() - 1);
            assertThat(c.path("signature").asText()).isNotEmpty();
        });
        assertThat(String.join("\n", original)).doesNotContain(privateKeyText);

        Path data = copy("views", original);
        try (RunningHub hub = RunningHub.start(data, settings())) {
            assertThat(hub.get("/ledger?event_id=.checkpoint").statusCode()).isEqualTo(404);
            assertThat(json(hub.get("/events?limit=500"))).extracting(e -> e.path("id").asText()).doesNotContain(".checkpoint").hasSize(EVENTS);
            assertThat(json(hub.get("/summary")).toString()).doesNotContain("checkpoint");
            JsonNode lines = json(hub.get("/ledger?event_id=t-2"));
            assertThat(lines.get(0).path("seq").asLong()).as("GET /ledger shows each line's place in the chain").isPositive();
            assertThat(lines.get(0).path("hash").asText()).hasSize(64);
            JsonNode head = json(hub.get("/ledger/head"));
            assertThat(head.path("seq").asLong()).isEqualTo(original.size());
            assertThat(head.path("hash").asText()).isEqualTo(last.hash());
        }
    }

    @Test
    void eachTamperingIsNamedByTheFirstLineItBreaks() throws Exception {
        List<String> edited = new ArrayList<>(original);
        edited.set(19, oneByteEdited(original.get(19)));
        assertBreak(verify(edited), "line 20 (seq 20): its hash does not match");

        List<String> removed = new ArrayList<>(original);
        removed.remove(19);
        assertBreak(verify(removed), "line 20 (seq 21): seq 21 where 20 was expected");

        List<String> swapped = new ArrayList<>(original);
        swapped.add(19, swapped.remove(20));
        assertBreak(verify(swapped), "line 20 (seq 21): seq 21 where 20 was expected");

        List<String> inserted = new ArrayList<>(original);
        inserted.add(19, oneByteEdited(original.get(19)));   // a forged line carrying the seq and hash of the one it precedes
        assertBreak(verify(inserted), "line 20 (seq 20): its hash does not match");
    }

    @Test
    void aLineInsertedWithEveryHashAfterItRedoneIsCaughtByTheKeptHeadAndTheCheckpointSignatures() throws Exception {
        String forgedLine = "{\"time\":\"" + published.time() + "\",\"event_id\":\"t-1\",\"system\":\"hub\",\"action\":\"rollback\",\"result\":\"success\"}";
        List<String> forged = Forger.relinked(original, 19, forgedLine);
        assertThat(verify(forged).exitCode()).as("the chain alone cannot tell a complete rewrite").isZero();

        assertBreak(verify(forged, "--head", published.seq() + ":" + published.hash()),
                "line " + published.seq() + " (seq " + published.seq() + "): its hash is ");
        int checkpointAfter = IntStream.range(19, original.size()).filter(i -> original.get(i).contains("\".checkpoint\"")).findFirst().orElseThrow();
        assertBreak(verify(forged, "--public-key", publicPem.toString()),
                "line " + (checkpointAfter + 2) + " (seq " + (checkpointAfter + 2) + "): the checkpoint's signature does not verify");
    }

    @Test
    void aCutTailIsCaughtAgainstTheKeptHeadAndATornLastLineIsReportedAsTornAndTheChainGoesOnAfterIt() throws Exception {
        List<String> cut = new ArrayList<>(original.subList(0, original.size() - 5));
        assertThat(verify(cut).exitCode()).isZero();
        assertBreak(verify(cut, "--head", published.seq() + ":" + published.hash()),
                "line " + (cut.size() + 1) + ": the file ends at seq " + cut.size() + " but a kept head names seq " + published.seq());

        Path data = copy("torn", original);
        Path ledger = data.resolve("ledger.jsonl");
        Files.writeString(ledger, original.get(3).substring(0, 40), StandardOpenOption.APPEND);
        JarCommand torn = JarCommand.run("verify-ledger", ledger.toString());
        assertThat(torn.exitCode()).as(torn.printed()).isZero();
        assertThat(torn.out()).contains("line " + (original.size() + 1) + " is torn, not tampering");

        try (RunningHub hub = RunningHub.start(data, settings())) {
            hub.postEvent(event("after-torn", "OH", "OH-9", "5"));
            assertThat(hub.awaitFinal("after-torn").path("status").asText()).isEqualTo("committed");
        }
        JarCommand after = JarCommand.run("verify-ledger", ledger.toString(), "--public-key", publicPem.toString());
        assertThat(after.exitCode()).as(after.printed()).isZero();
        assertThat(after.out()).contains("line " + (original.size() + 1) + " is torn, not tampering");
        assertThat(LedgerChain.Link.of(Files.readAllLines(ledger).get(original.size() + 1)).seq()).as("seq goes on across the torn line")
                .isEqualTo(original.size() + 1);
    }

    @Test
    void theHubRefusesABrokenChainAndStartsOnItOnlyWhenToldLoudly() throws Exception {
        List<String> edited = new ArrayList<>(original);
        edited.set(19, oneByteEdited(original.get(19)));
        Path data = copy("broken", edited);

        assertThatThrownBy(() -> RunningHub.start(data, settings()).close())
                .hasMessageContaining("does not verify at line 20 (seq 20)").hasMessageContaining("HMS_LEDGER_ACCEPT_BROKEN=true");
        Map<String, String> accepting = new LinkedHashMap<>(settings());
        accepting.put("hms.ledger.accept-broken", "true");
        try (RunningHub hub = RunningHub.start(data, accepting)) {
            assertThat(json(hub.get("/events/t-6")).path("status").asText()).isEqualTo("committed");
            hub.postEvent(event("after-break", "OH", "OH-9", "5"));
            assertThat(hub.awaitFinal("after-break").path("status").asText()).isEqualTo("committed");
            assertThat(json(hub.get("/ledger/head")).path("seq").asLong()).isGreaterThan(original.size());
        }
        assertBreak(JarCommand.run("verify-ledger", data.resolve("ledger.jsonl").toString()), "line 20 (seq 20)");

        // the jar as an operator runs it: one line saying why, or the argument and a loud log
        int port = RunningHub.freePort();
        assertThatThrownBy(() -> HubProcess.start(data, port, settings()).close())
                .hasMessageContaining("HMS-SYNC did not start: ").hasMessageContaining("does not verify at line 20 (seq 20)");
        try (HubProcess hub = HubProcess.start(data, port, settings(), List.of("--accept-broken-ledger"))) {
            assertThat(hub.get("/events/after-break").statusCode()).isEqualTo(200);
            assertThat(hub.terminate()).isZero();
            assertThat(hub.log()).contains("LEDGER CHAIN BROKEN").contains("line 20 (seq 20)").doesNotContain(privateKeyText);
        }
    }

    @Test
    void aLedgerWrittenBeforeTamperEvidenceIsRefusedUntilMigratedBesideTheOldFile() throws Exception {
        List<String> unchained = original.stream().filter(l -> !l.contains("\".checkpoint\""))
                .map(l -> LedgerChain.Link.of(l).unhashed().replaceAll(",\"seq\":[0-9]+}$", "}")).toList();
        Path data = copy("unchained", unchained);
        Path ledger = data.resolve("ledger.jsonl");
        byte[] before = Files.readAllBytes(ledger);

        assertThatThrownBy(() -> RunningHub.start(data, settings()).close())
                .hasMessageContaining("has no hash chain").hasMessageContaining("migrate-ledger " + ledger);
        assertBreak(JarCommand.run("verify-ledger", ledger.toString()), "line 1: has no seq and hash: a ledger written before tamper evidence");

        JarCommand migrated = JarCommand.run("migrate-ledger", ledger.toString());
        assertThat(migrated.exitCode()).as(migrated.printed()).isZero();
        Path chained = data.resolve("ledger.jsonl.chained");
        assertThat(migrated.out()).contains("wrote " + chained + ": " + unchained.size() + " lines").contains(ledger + " is unchanged");
        assertThat(Files.readAllBytes(ledger)).as("never rewritten").isEqualTo(before);
        List<String> chainedLines = Files.readAllLines(chained);
        assertThat(chainedLines).hasSameSizeAs(unchained);
        for (int i = 0; i < unchained.size(); i++) {
            assertThat(LedgerChain.Link.of(chainedLines.get(i)).unhashed()).as("each line's text kept, seq and hash added")
                    .isEqualTo(unchained.get(i).substring(0, unchained.get(i).length() - 1) + ",\"seq\":" + (i + 1) + "}");
        }
        assertThat(JarCommand.run("verify-ledger", chained.toString()).exitCode()).isZero();
        JarCommand again = JarCommand.run("migrate-ledger", chained.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("line 1 already has seq and hash");

        Files.move(ledger, data.resolve("ledger.jsonl.unchained"));
        Files.move(chained, ledger);
        try (RunningHub hub = RunningHub.start(data, settings())) {
            assertThat(json(hub.get("/events/t-3")).path("status").asText()).isEqualTo("committed");
            hub.postEvent(event("after-migration", "OH", "OH-9", "5"));
            assertThat(hub.awaitFinal("after-migration").path("status").asText()).isEqualTo("committed");
        }
        assertThat(JarCommand.run("verify-ledger", ledger.toString(), "--public-key", publicPem.toString()).exitCode()).isZero();
    }

    @Test
    void aFinalEventsSignedProofVerifiesOfflineAndNoChangedOrOtherwiseSignedOneDoes() throws Exception {
        Path data = copy("proofs", original);
        Path proofFile = temp.resolve("proof.json");
        try (RunningHub hub = RunningHub.start(data, settings())) {
            hub.put("/sim/dashboard/mode", "down");
            hub.postEvent(event("undone-1", "OH", "OH-7", "25"));
            assertThat(hub.awaitFinal("undone-1").path("status").asText()).isEqualTo("rolled_back");
            var answer = hub.get("/events/undone-1/proof");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            Files.writeString(proofFile, answer.body());
            assertThat(hub.get("/events/never-seen/proof").statusCode()).isEqualTo(404);
        }
        JsonNode proof = JSON.readTree(Files.readString(proofFile));
        assertThat(proof.path("status").asText()).isEqualTo("rolled_back");
        assertThat(proof.path("systems").path("dashboard").asText()).isEqualTo("refused");
        assertThat(Files.readString(proofFile)).doesNotContain(privateKeyText).endsWith("\"}");
        List<String> ledger = Files.readAllLines(data.resolve("ledger.jsonl"));
        for (JsonNode line : proof.path("lines")) {
            LedgerChain.Link inFile = LedgerChain.Link.of(ledger.get(line.path("seq").asInt() - 1));
            assertThat(inFile.hash()).as("the proof's lines are the ledger's").isEqualTo(line.path("hash").asText());
            assertThat(line.path("event_id").asText()).isEqualTo("undone-1");
        }
        assertThat(proof.path("head").path("seq").asLong()).isGreaterThanOrEqualTo(proof.path("lines").get(proof.path("lines").size() - 1).path("seq").asLong());

        JarCommand verified = JarCommand.run("verify-proof", proofFile.toString(), publicPem.toString());
        assertThat(verified.exitCode()).as(verified.printed()).isZero();
        assertThat(verified.out()).contains("event undone-1 ended rolled_back");

        Path changed = Files.writeString(temp.resolve("changed.json"), Files.readString(proofFile).replace("\"status\":\"rolled_back\"", "\"status\":\"committed\""));
        JarCommand refused = JarCommand.run("verify-proof", changed.toString(), publicPem.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("its signature does not verify");
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path otherPem = pem(temp.resolve("other.pem"), "PUBLIC KEY", other.getPublic().getEncoded());
        assertThat(JarCommand.run("verify-proof", proofFile.toString(), otherPem.toString()).exitCode()).isEqualTo(1);

        Map<String, String> unsigned = new LinkedHashMap<>(settings());
        unsigned.remove("hms.ledger.signing-key-file");
        try (RunningHub hub = RunningHub.start(data, unsigned)) {
            assertThat(hub.get("/events/undone-1/proof").statusCode()).as("no key, no proofs").isEqualTo(501);
        }
    }

    /** The year of the line's time, one digit changed. */
    private static String oneByteEdited(String line) {
        int digit = line.indexOf("\"time\":\"") + 8 + 3;
        return line.substring(0, digit) + (line.charAt(digit) == '9' ? '8' : '9') + line.substring(digit + 1);
    }

    private static void assertBreak(JarCommand verified, String expected) {
        assertThat(verified.exitCode()).as(verified.printed()).isEqualTo(1);
        assertThat(verified.out()).contains("does not verify: " + expected);
    }

    private static JarCommand verify(List<String> lines, String... options) throws Exception {
        Path file = Files.createTempFile(temp, "ledger-", ".jsonl");
        Files.write(file, lines);
        List<String> args = new ArrayList<>(List.of("verify-ledger", file.toString()));
        args.addAll(List.of(options));
        return JarCommand.run(args.toArray(String[]::new));
    }

    /** A data folder of its own: the events as the hub stored them, and these ledger lines. */
    private static Path copy(String name, List<String> ledger) throws Exception {
        Path data = Files.createDirectories(temp.resolve(name));
        Files.copy(written.resolve("events.jsonl"), data.resolve("events.jsonl"));
        Files.write(data.resolve("ledger.jsonl"), ledger);
        return data;
    }

    private static Path pem(Path file, String label, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n");
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
