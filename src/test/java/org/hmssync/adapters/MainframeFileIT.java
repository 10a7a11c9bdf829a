package org.hmssync.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flat files, byte for byte against SYNCREC.cpy's layout (the expected records are written out
 * here by hand, not by the hub's own Bindy model), and the events the layout cannot hold.
 */
class MainframeFileIT {

    @TempDir
    static Path data;
    static RunningHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start(data);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static Stream<Arguments> amounts() {
        return Stream.of(
                Arguments.of("mf-positive", "OH-000123", "25", "+00000002500"),
                Arguments.of("mf-negative", "OH-000124", "-3.5", "-00000000350"),
                Arguments.of("mf-fraction", "OH-000125", "0.01", "+00000000001"),
                Arguments.of("mf-zero", "OH-000126", "0", "+00000000000"),
                Arguments.of("mf-largest", "OH-000127", "999999999.99", "+99999999999"),
                Arguments.of("mf-no-claimant", null, "12.34", "+00000001234"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("amounts")
    void theFileMatchesTheCopybookByteForByte(String id, String claimant, String usd, String cents) throws Exception {
        hub.postEvent(event(id, "OH", claimant, usd));
        assertThat(hub.awaitFinal(id).path("status").asText()).isEqualTo("committed");

        Path file = data.resolve("mainframe/outbox/" + id + ".dat");
        assertThat(data.resolve("mainframe/outbox/" + id + ".dat.done")).exists();
        List<String> records = records(file);
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).matches("H" + pad(id, 40) + "\\d{14}" + " ".repeat(25));
        assertThat(records.get(1)).isEqualTo("D" + pad(id, 40) + "OH" + pad(claimant == null ? "" : claimant, 16)
                + cents + "20261127" + " ");
        assertThat(records.get(2)).isEqualTo("T" + "000000001" + cents.charAt(0) + "0000" + cents.substring(1) + " ".repeat(54));
    }

    @Test
    void undoBeforePickupWithdrawsTheFile() throws Exception {
        hub.postEvent(event("mf-withdraw", "OH", "OH-1", "25"));
        hub.awaitFinal("mf-withdraw");
        assertThat(hub.post("/events/mf-withdraw/rollback", "application/json", "").statusCode()).isEqualTo(202);

        JsonNode view = awaitStatus("mf-withdraw", "rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("rolled_back");
        assertThat(data.resolve("mainframe/outbox/mf-withdraw.dat")).doesNotExist();
        assertThat(data.resolve("mainframe/outbox/mf-withdraw.dat.done")).doesNotExist();
        assertThat(data.resolve("mainframe/outbox/mf-withdraw.rev.dat")).doesNotExist();
        assertThat(data.resolve("mainframe/withdrawn/mf-withdraw.dat")).exists();
    }

    @Test
    void undoAfterPickupWritesAReversalFile() throws Exception {
        hub.postEvent(event("mf-reverse", "OH", "OH-000200", "-12.5"));
        hub.awaitFinal("mf-reverse");
        Path batchArea = Files.createDirectories(data.resolve("batch-took"));
        Files.move(data.resolve("mainframe/outbox/mf-reverse.dat"), batchArea.resolve("mf-reverse.dat"));
        Files.delete(data.resolve("mainframe/outbox/mf-reverse.dat.done"));

        assertThat(hub.post("/events/mf-reverse/rollback", "application/json", "").statusCode()).isEqualTo(202);
        awaitStatus("mf-reverse", "rolled_back");

        Path reversal = data.resolve("mainframe/outbox/mf-reverse.rev.dat");
        assertThat(data.resolve("mainframe/outbox/mf-reverse.rev.dat.done")).exists();
        List<String> records = records(reversal);
        assertThat(records.get(0)).matches("H" + pad("mf-reverse.rev", 40) + "\\d{14}" + " ".repeat(25));
        assertThat(records.get(1)).isEqualTo("R" + pad("mf-reverse", 40) + "OH" + pad("OH-000200", 16) + "+00000001250" + "20261127 ");
        assertThat(records.get(2)).isEqualTo("T000000001+000000000001250" + " ".repeat(54));
        // undoing twice is harmless: 409, and no second reversal
        assertThat(hub.post("/events/mf-reverse/rollback", "application/json", "").statusCode()).isEqualTo(409);
    }

    @Test
    void withoutOccurredAtTheEffectiveDateIsTheDayOfReceipt() throws Exception {
        hub.postEvent("{\"id\":\"mf-today\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"KY\",\"delta_usd\":1}}");
        hub.awaitFinal("mf-today");
        String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(records(data.resolve("mainframe/outbox/mf-today.dat")).get(1)).endsWith(today + " ").contains("KY");
    }

    @Test
    void anEbcdicLandingZoneGetsTheSameRecordsInIbm037() throws Exception {
        Path ebcdicData = data.resolve("ebcdic");
        try (RunningHub ebcdic = RunningHub.start(ebcdicData, java.util.Map.of("hms.mainframe.charset", "IBM037"))) {
            ebcdic.postEvent(event("mf-ebcdic", "OH", "OH-000123", "-25.10"));
            assertThat(ebcdic.awaitFinal("mf-ebcdic").path("status").asText()).isEqualTo("committed");
        }
        byte[] bytes = Files.readAllBytes(ebcdicData.resolve("mainframe/outbox/mf-ebcdic.dat"));
        assertThat(bytes[0]).as("'H' in EBCDIC").isEqualTo((byte) 0xC8);
        String text = new String(bytes, java.nio.charset.Charset.forName("IBM037"));
        String[] records = text.split("\n");
        assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r).hasSize(80));
        assertThat(records[1]).isEqualTo("D" + pad("mf-ebcdic", 40) + "OH" + pad("OH-000123", 16) + "-00000002510" + "20261127 ");
        assertThat(new String(text.getBytes(java.nio.charset.Charset.forName("IBM037")), java.nio.charset.Charset.forName("IBM037")))
                .isEqualTo(text);
    }

    @Test
    void aDateOutsideTheCalendarTheBatchKnowsIsANoVoteNotAnotherYear() throws Exception {
        // year 0000 printed with the year of era became 0001; PIC 9(08) is a date 0001-9999
        hub.postEvent("{\"id\":\"mf-year-zero\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-1\","
                + "\"delta_usd\":25},\"occurred_at\":\"0000-06-01T12:00:00Z\"}");
        JsonNode view = hub.awaitFinal("mf-year-zero");
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("refused");
        assertThat(view.path("reason").asText()).contains("year 0").contains("SD-EFFECTIVE-DATE");
        assertThat(data.resolve("mainframe/outbox/mf-year-zero.dat")).doesNotExist();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("id over 40", "a".repeat(41), "OH", "\"OH-1\"", "25", "SD-EVENT-ID"),
                Arguments.of("amount too large", "mf-too-large", "OH", "\"OH-1\"", "1000000000.00", "does not fit"),
                Arguments.of("non-ASCII state", "mf-umlaut", "\u00d6H", "\"OH-1\"", "25", "payload.state"),
                Arguments.of("state not two letters", "mf-ohio", "Ohio", "\"OH-1\"", "25", "payload.state"),
                Arguments.of("non-ASCII claimant", "mf-claimant", "OH", "\"J\u00fcrgen\"", "25", "claimant_id"),
                Arguments.of("claimant over 16", "mf-long-claimant", "OH", "\"OH-00000000000001\"", "25", "claimant_id"),
                // never a blank field by accident: an object, a number or blank text is not a claimant id
                Arguments.of("claimant an object", "mf-claimant-object", "OH", "{\"id\":\"OH-1\"}", "25", "claimant_id must be text"),
                Arguments.of("claimant a number", "mf-claimant-number", "OH", "123", "25", "claimant_id must be text"),
                Arguments.of("claimant blank", "mf-claimant-blank", "OH", "\"   \"", "25", "claimant_id is blank"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whatTheLayoutCannotHoldIsANoVoteAndReachesNoOutbox(String what, String id, String state, String claimant,
                                                             String usd, String reason) throws Exception {
        hub.postEvent("{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"" + state
                + "\",\"claimant_id\":" + claimant + ",\"delta_usd\":" + usd + "}}");
        JsonNode view = hub.awaitFinal(id);
        assertThat(view.path("status").asText()).isEqualTo("rolled_back");
        assertThat(view.path("systems").path("mainframe").path("state").asText()).isEqualTo("refused");
        assertThat(view.path("reason").asText()).startsWith("mainframe voted no at prepare").contains(reason);
        assertThat(data.resolve("mainframe/outbox/" + id + ".dat")).doesNotExist();
        assertThat(data.resolve("mainframe/staging/" + id + ".dat")).doesNotExist();
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> RunningHub.json(hub.get("/events/" + id)).path("status").asText().equals(status));
        return RunningHub.json(hub.get("/events/" + id));
    }

    /** Line sequential, 80 US-ASCII characters a record, every record ended by a newline. */
    private static List<String> records(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        List<String> records = List.of(text.substring(0, text.length() - 1).split("\n", -1));
        assertThat(records).allSatisfy(r -> assertThat(r).hasSize(80));
        assertThat(bytes.length).isEqualTo(records.size() * 81);
        return records;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
