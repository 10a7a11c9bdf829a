package org.hmssync.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the ledger calls parked is in the DLQ after a crash at any point of parking, and
 * whatever it calls resolved is not. Each crash is made by cutting the files back to what they held
 * at that moment (the DLQ file is written and forced before the ledger's dead_letter line).
 */
class DlqRepairIT {

    @TempDir
    Path data;
    FakeRestSystem vendor;

    @BeforeEach
    void start() throws Exception {
        vendor = new FakeRestSystem();
    }

    @AfterEach
    void stop() {
        vendor.close();
    }

    private RunningHub hub() throws Exception {
        return RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.url()));
    }

    /** Parks {@code id} (the dashboard refuses it), then stops the hub. */
    private void parkAndStop(String id) throws Exception {
        try (RunningHub hub = hub()) {
            hub.put("/sim/dashboard/mode", "down");
            hub.postEvent(event(id, "OH", "OH-1", "5"));
            assertThat(hub.awaitFinal(id).path("status").asText()).isEqualTo("rolled_back");
            assertThat(data.resolve("dlq/" + id + ".json")).exists();
        }
    }

    @Test
    void aCrashAfterTheFinalLineBeforeTheDlqFileParksItAtTheNextStart() throws Exception {
        parkAndStop("crash-before-file");
        Files.delete(data.resolve("dlq/crash-before-file.json"));
        dropLedgerLines(l -> l.contains("\"dead_letter\""));

        try (RunningHub hub = hub()) {
            JsonNode parked = awaitParked(hub, "crash-before-file");
            assertThat(parked.path("reason").asText()).contains("dashboard voted no");
            assertThat(deadLetters(hub, "crash-before-file")).isEqualTo(1);
            assertThat(json(hub.get("/events/crash-before-file")).path("dead_lettered").asBoolean()).isTrue();
        }
    }

    @Test
    void aCrashBetweenTheDlqFileAndItsLineWritesTheLineOnce() throws Exception {
        parkAndStop("crash-before-line");
        dropLedgerLines(l -> l.contains("\"dead_letter\""));

        try (RunningHub hub = hub()) {
            awaitParked(hub, "crash-before-line");
            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters(hub, "crash-before-line") == 1);
        }
        try (RunningHub again = hub()) {
            awaitParked(again, "crash-before-line");
            assertThat(deadLetters(again, "crash-before-line")).as("a second start adds nothing").isEqualTo(1);
        }
    }

    @Test
    void aLedgerThatSaysParkedGetsItsMissingDlqFileBack() throws Exception {
        // what the old order (line first, then file) could leave: 2 of 15 crash rounds
        parkAndStop("line-without-file");
        Files.delete(data.resolve("dlq/line-without-file.json"));

        try (RunningHub hub = hub()) {
            awaitParked(hub, "line-without-file");
            assertThat(deadLetters(hub, "line-without-file")).isEqualTo(1);
            hub.put("/sim/dashboard/mode", "up");
            assertThat(hub.post("/dlq/line-without-file/replay", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(hub.get("/events/line-without-file")).path("status").asText().equals("committed"));
            assertThat(vendor.holds("line-without-file")).isTrue();
        }
    }

    @Test
    void aDlqFileLeftByACrashAfterTheEventWasResolvedIsReleased() throws Exception {
        parkAndStop("resolved");
        byte[] parkedFile = Files.readAllBytes(data.resolve("dlq/resolved.json"));
        try (RunningHub hub = hub()) {
            hub.put("/sim/dashboard/mode", "up");
            assertThat(hub.post("/dlq/resolved/replay", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> json(hub.get("/events/resolved")).path("status").asText().equals("committed"));
        }
        // the replay committed, and the crash came before the DLQ entry was removed
        Files.write(data.resolve("dlq/resolved.json"), parkedFile);

        try (RunningHub hub = hub()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).isEmpty());
            assertThat(data.resolve("dlq/resolved.json")).doesNotExist();
            assertThat(hub.post("/dlq/resolved/replay", "application/json", "").statusCode()).isEqualTo(409);
            assertThat(vendor.commitCalls().get("resolved").get()).isEqualTo(1);
        }
    }

    @Test
    void theHubIsNotReadyUntilStartUpRecoveryHasFinishedAndSaysHowFarItIs() throws Exception {
        try (RunningHub hub = hub()) {
            hub.postEvent(event("unfinished", "OH", "OH-1", "5"));
            assertThat(hub.awaitFinal("unfinished").path("status").asText()).isEqualTo("committed");
        }
        // a crash right after the prepare votes: no decision on disk, so the next start prepares it again
        dropLedgerLines(l -> l.contains("\"unfinished\"") && !l.contains("\"received\"") && !l.contains("\"prepare\""));
        vendor.delay(Map.of("commit", 3000L));

        try (RunningHub hub = hub()) {
            assertThat(hub.get("/observe/health?exposureLevel=full").body()).contains("recovery");
            assertThat(hub.get("/observe/health").statusCode()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
            assertThat(json(hub.get("/events/unfinished")).path("status").asText()).isEqualTo("committed");
            assertThat(vendor.holds("unfinished")).isTrue();
        }
    }

    private static JsonNode awaitParked(RunningHub hub, String id) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.get("/dlq/" + id).statusCode() == 200);
        assertThat(hub.dataDir().resolve("dlq/" + id + ".json")).exists();
        return json(hub.get("/dlq/" + id));
    }

    private static long deadLetters(RunningHub hub, String id) throws Exception {
        return hub.ledgerOnDisk(id).stream().filter(l -> l.path("action").asText().equals("dead_letter")).count();
    }

    private void dropLedgerLines(Predicate<String> drop) throws Exception {
        Path ledger = data.resolve("ledger.jsonl");
        List<String> kept = Files.readAllLines(ledger).stream().filter(drop.negate()).toList();
        Files.write(ledger, kept);
    }
}
