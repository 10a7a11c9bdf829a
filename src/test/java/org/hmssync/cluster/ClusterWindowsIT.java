package org.hmssync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hmssync.support.ClusterHubs;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.hmssync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch windows in a cluster: a window per partition in the shared mainframe folder, kept by the
 * hub that holds the partition. Two hubs, 300 events; one hub is SIGKILLed mid-run and the other
 * takes its partitions and their windows; then ten events are undone on the survivor, some of them
 * committed into the dead hub's windows. Every event's D record reaches the batch files exactly
 * once, every undone event's R record exactly once, and no two files share a name.
 */
class ClusterWindowsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 300;

    @TempDir
    Path shared;

    @Test
    void windowsMoveWithTheirPartitionsAndEachRecordReachesTheBatchOnce() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        List<HubProcess> hubs = new ArrayList<>();
        try (TestDatabase db = TestDatabase.create(); FakeRestSystem vendor = new FakeRestSystem(); FakeRestSystem dashboard = new FakeRestSystem();
             var connection = TestBroker.connect(); var channel = connection.createChannel()) {
            vendor.delay(Map.of("commit", 3L));
            for (int i = 1; i <= 2; i++) {
                Map<String, String> props = ClusterHubs.properties(names, db.url(), "hub-" + i, vendor, dashboard, 4);
                props.put("hms.cluster.takeover-s", "6");
                props.put("hms.mainframe.mode", "window");
                props.put("hms.mainframe.window.max-records", "40");
                props.put("hms.mainframe.window.max-age-ms", "300");
                hubs.add(HubProcess.start(shared, RunningHub.freePort(), props));
            }
            ClusterHubs.awaitHolding(db, 2, 4);

            channel.confirmSelect();
            for (int n = 0; n < EVENTS; n++) {
                String id = "win-" + n;
                channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                        RunningHub.event(id, "OH", "OH-" + String.format("%06d", n % 60), "1.00").getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> vendor.commitCalls().size() >= EVENTS / 4);
            // hub-1 dies having closed a window of its own and with events in flight (records in windows still open)
            Path outbox = shared.resolve("mainframe").resolve("outbox");
            await("a window hub-1 closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!Files.isDirectory(outbox)) {
                    return false;
                }
                try (Stream<Path> files = Files.list(outbox)) {
                    return files.anyMatch(f -> f.getFileName().toString().matches("batch-\\d{14}-hub-1-p\\d-\\d{6}\\.dat"));
                }
            });
            ClusterHubs.awaitInFlight(db, "hub-1", "-infinity", 3);
            hubs.get(0).kill();
            HubProcess survivor = hubs.get(1);
            await("every event committed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    db.column("SELECT count(DISTINCT event_id) FROM ledger_lines WHERE line LIKE '%\"system\":\"hub\",\"action\":\"commit\"%'")
                            .equals(List.of(String.valueOf(EVENTS))));

            // every window closed (300 ms), so an undo now needs an R record, not a withdrawal from an open window
            await("every D record in a closed window").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> records(outbox, 'D').size() >= EVENTS);
            // undo ten, spread over every partition: their records are in windows either hub wrote
            List<String> undone = new ArrayList<>();
            for (int n = 0; n < EVENTS && undone.size() < 10; n += 29) {
                undone.add("win-" + n);
            }
            for (String id : undone) {
                assertThat(survivor.post("/events/" + id + "/rollback", "").statusCode()).as(id).isEqualTo(202);
            }
            for (String id : undone) {
                await(id + " undone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                        JSON.readTree(survivor.get("/events/" + id).body()).path("status").asText().equals("rolled_back"));
            }

            await("every R record in a closed window").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> records(outbox, 'D').size() + records(outbox, 'R').size() >= EVENTS + undone.size());
            List<String> adjustments = records(outbox, 'D');
            List<String> reversals = records(outbox, 'R');
            assertThat(adjustments).as("each event's D record once").hasSize(EVENTS).doesNotHaveDuplicates();
            assertThat(reversals).as("each undone event's R record once").containsExactlyInAnyOrderElementsOf(undone);
            try (Stream<Path> files = Files.list(outbox)) {
                List<String> batches = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".dat")).toList();
                assertThat(batches).allMatch(n -> n.matches("batch-\\d{14}-hub-[12]-p[0-3]-\\d{6}\\.dat"), "named by hub and partition");
                assertThat(batches).anyMatch(n -> n.contains("-hub-1-")).anyMatch(n -> n.contains("-hub-2-"));
                for (String name : batches) {
                    assertThat(Files.readAllLines(outbox.resolve(name)).get(0)).startsWith("H" + name.replace(".dat", ""));
                }
            }
            assertThat(vendor.calls("reversal")).isEqualTo(undone.size());
        } finally {
            for (HubProcess hub : hubs) {
                hub.close();
            }
            names.delete();
        }
    }

    /** The event ids of every record of {@code type} in the batch files. */
    private static List<String> records(Path outbox, char type) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("batch-.*\\.dat")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (!line.isEmpty() && line.charAt(0) == type) {
                        ids.add(line.substring(1, 41).trim());
                    }
                }
            }
        }
        return ids;
    }
}
