package org.hmssync.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hmssync.support.CobolBatch;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HMS_MAINFRAME_MODE=window: one file per window, closed on size or age, undo before and after the
 * close, a restart mid-window; the COBOL batch reads the windows and agrees with the events to the cent.
 */
class BatchWindowIT {

    @TempDir
    Path data;

    @Test
    void windowsCloseOnSizeAndAgeSurviveARestartAndAgreeWithTheBatch() throws Exception {
        Map<String, BigDecimal> expected = new TreeMap<>();
        Map<String, String> bySize = Map.of("hms.mainframe.mode", "window", "hms.mainframe.window.max-records", "5",
                "hms.mainframe.window.max-age-ms", "3600000");
        try (RunningHub hub = RunningHub.start(data, bySize)) {
            String[][] events = {
                {"w-1", "OH", "25"}, {"w-2", "OH", "-3.50"}, {"w-3", "KY", "0.01"}, {"w-4", "CA", "12.34"},
                {"w-5", "OH", "100"}, {"w-6", "KY", "7.77"}, {"w-7", "CA", "-1"}};
            for (String[] e : events) {
                hub.postEvent(event(e[0], e[1], "C-" + e[0], e[2]));
                assertThat(hub.awaitFinal(e[0]).path("status").asText()).isEqualTo("committed");
                expected.merge(e[1], new BigDecimal(e[2]), BigDecimal::add);
            }
            assertThat(batches()).as("the first window closed at 5 records").hasSize(1);

            undo(hub, "w-6");   // still in the open window: withdrawn
            expected.merge("KY", new BigDecimal("-7.77"), BigDecimal::add);
            undo(hub, "w-2");   // in the published window: a reversal joins the open one
            expected.merge("OH", new BigDecimal("3.50"), BigDecimal::add);
        }
        // a restart mid-window: the open window (w-7 and the reversal of w-2) is still there
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.mainframe.mode", "window",
                "hms.mainframe.window.max-records", "5", "hms.mainframe.window.max-age-ms", "300"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> batches().size() == 2);
            hub.postEvent(event("w-8", "OH", "C-w-8", "0.99"));
            hub.awaitFinal("w-8");
            expected.merge("OH", new BigDecimal("0.99"), BigDecimal::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> batches().size() == 3);
        }

        List<Path> files = batches();
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertThat(name).matches("batch-\\d{14}-\\d{6}\\.dat");
            assertThat(Path.of(f + ".done")).exists();
            assertThat(Files.readAllLines(f).get(0)).startsWith("H" + name.replace(".dat", ""));
        }
        assertThat(Files.readAllLines(files.get(1))).as("w-7 and the reversal of w-2, not w-6")
                .hasSize(4).anyMatch(r -> r.startsWith("Rw-2 ")).noneMatch(r -> r.startsWith("Dw-6 "));

        CobolBatch.Result batch = CobolBatch.run(CobolBatch.pickUp(data.resolve("mainframe/outbox"), data.resolve("taken")));
        assertThat(batch.exitCode()).as(batch.output()).isZero();
        assertThat(batch.files()).isEqualTo(3);
        assertThat(batch.records()).isEqualTo(5 + 2 + 1);
        Map<String, Long> expectedCents = new TreeMap<>();
        expected.forEach((state, usd) -> expectedCents.put(state, usd.movePointRight(2).longValueExact()));
        assertThat(new TreeMap<>(batch.centsByState())).as(batch.output()).isEqualTo(expectedCents);
        System.out.println("SYNCBATCH over the batch windows:\n" + batch.output());
    }

    private List<Path> batches() throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("mainframe/outbox"))) {
            return new ArrayList<>(files.filter(f -> f.getFileName().toString().matches("batch-.*\\.dat")).sorted().toList());
        }
    }

    private static void undo(RunningHub hub, String id) throws Exception {
        assertThat(hub.post("/events/" + id + "/rollback", "application/json", "").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> RunningHub.json(hub.get("/events/" + id)).path("status").asText().equals("rolled_back"));
    }
}
