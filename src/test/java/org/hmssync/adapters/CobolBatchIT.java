package org.hmssync.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hmssync.support.CobolBatch;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real COBOL runtime reads the hub's flat files through the mainframe team's copybook: every
 * file checks out (header, trailer count, control total) and the totals agree with the events to the cent.
 */
class CobolBatchIT {

    @TempDir
    Path data;

    record Adjustment(String id, String state, String claimant, String usd) { }

    @Test
    void theBatchAgreesWithTheEventsToTheCentAcrossPickupsAndUndos() throws Exception {
        List<Adjustment> first = List.of(
                new Adjustment("cb-1", "OH", "OH-000001", "25"),
                new Adjustment("cb-2", "OH", "OH-000002", "-3.50"),
                new Adjustment("cb-3", "KY", "KY-000003", "0.01"),
                new Adjustment("cb-4", "KY", null, "0"),
                new Adjustment("cb-5", "CA", "CA-000005", "999999999.99"),
                new Adjustment("cb-6", "OH", "OH-000006", "12.34"));
        List<Adjustment> second = List.of(
                new Adjustment("cb-7", "CA", "CA-000007", "-0.99"),
                new Adjustment("cb-8", "OH", "OH-000008", "100"));
        Path batchArea = data.resolve("batch");
        List<Path> taken = new ArrayList<>();
        Map<String, BigDecimal> expected = new TreeMap<>();

        try (RunningHub hub = RunningHub.start(data)) {
            for (Adjustment a : first) {
                hub.postEvent(event(a.id(), a.state(), a.claimant(), a.usd()));
            }
            for (Adjustment a : first) {
                assertThat(hub.awaitFinal(a.id()).path("status").asText()).isEqualTo("committed");
                expected.merge(a.state(), new BigDecimal(a.usd()), BigDecimal::add);
            }
            // the batch takes the first six; then two are undone after pickup: reversal files
            taken.addAll(CobolBatch.pickUp(data.resolve("mainframe/outbox"), batchArea));
            undo(hub, "cb-2");
            undo(hub, "cb-5");
            expected.merge("OH", new BigDecimal("3.50"), BigDecimal::add);
            expected.merge("CA", new BigDecimal("-999999999.99"), BigDecimal::add);

            for (Adjustment a : second) {
                hub.postEvent(event(a.id(), a.state(), a.claimant(), a.usd()));
                hub.awaitFinal(a.id());
                expected.merge(a.state(), new BigDecimal(a.usd()), BigDecimal::add);
            }
            // one is undone before pickup: withdrawn, never seen by the batch
            undo(hub, "cb-8");
            expected.merge("OH", new BigDecimal("-100"), BigDecimal::add);
            taken.addAll(CobolBatch.pickUp(data.resolve("mainframe/outbox"), batchArea));
        }

        CobolBatch.Result batch = CobolBatch.run(taken);
        assertThat(batch.exitCode()).as(batch.output()).isZero();
        assertThat(batch.errors()).isZero();
        assertThat(batch.files()).isEqualTo(6 + 2 + 1);
        assertThat(batch.records()).isEqualTo(9);
        Map<String, Long> expectedCents = new TreeMap<>();
        expected.forEach((state, usd) -> expectedCents.put(state, usd.movePointRight(2).longValueExact()));
        assertThat(new TreeMap<>(batch.centsByState())).as(batch.output()).isEqualTo(expectedCents);
        assertThat(batch.cents()).isEqualTo(expectedCents.values().stream().mapToLong(Long::longValue).sum());
        System.out.println("SYNCBATCH printed:\n" + batch.output());
    }

    @Test
    void theBatchRejectsAFileWhoseTrailerDoesNotAddUp() throws Exception {
        Path bad = data.resolve("bad.dat");
        java.nio.file.Files.writeString(bad, "H" + " ".repeat(40) + "20261127021411" + " ".repeat(25) + "\n"
                + "Dcb-x" + " ".repeat(35) + "OH" + " ".repeat(16) + "+00000002500" + "20261127 \n"
                + "T000000001+000000000002400" + " ".repeat(54) + "\n");
        CobolBatch.Result batch = CobolBatch.run(List.of(bad));
        assertThat(batch.exitCode()).isEqualTo(1);
        assertThat(batch.output()).contains("ERROR trailer total differs");
    }

    private static void undo(RunningHub hub, String id) throws Exception {
        assertThat(hub.post("/events/" + id + "/rollback", "application/json", "").statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> RunningHub.json(hub.get("/events/" + id)).path("status").asText().equals("rolled_back"));
    }
}
