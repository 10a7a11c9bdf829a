package org.hmssync.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub as a separate process, killed with SIGKILL at each kind of ledger line, then started
 * again: every event ends final, each system holds exactly the committed events, none twice.
 */
class CrashRecoveryIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path data;
    FakeRestSystem vendor;
    FakeRestSystem dashboard;
    int port;

    @BeforeEach
    void systems() throws Exception {
        data = dir.resolve("data");
        vendor = new FakeRestSystem();
        dashboard = new FakeRestSystem();
        port = RunningHub.freePort();
    }

    @AfterEach
    void stopSystems() {
        vendor.close();
        dashboard.close();
    }

    HubProcess startHub() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("hms.simulators.enabled", "false");
        props.put("hms.adapter.debit-vendor.url", vendor.url());
        props.put("hms.adapter.dashboard.url", dashboard.url());
        props.put("hms.prepare-timeout-ms", "20000");
        props.put("hms.coordinator.straggler-wait-ms", "1000");
        return HubProcess.start(data, port, props);
    }

    @ParameterizedTest(name = "killed after a {0} line")
    @ValueSource(strings = {"received", "prepare", "decision", "commit", "rollback"})
    void aKillAtAnyLineEndsFinalAndConsistent(String line) throws Exception {
        String id = "kill-" + line;
        String systemOfLine = switch (line) {
            case "received", "decision" -> "hub";
            default -> "mainframe";
        };
        switch (line) {
            case "received", "prepare" -> vendor.delay(Map.of("dry-run", 60_000L));
            case "decision", "commit" -> vendor.delay(Map.of("commit", 60_000L));
            default -> {
                dashboard.fail(Map.of("dry-run", 503));
                vendor.delay(Map.of("reversal", 60_000L));
            }
        }
        List<String> linesAtKill;
        try (HubProcess hub = startHub()) {
            assertThat(hub.post("/events", event(id, "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> ledger(id).stream().anyMatch(l -> l.path("action").asText().equals(line)
                            && l.path("system").asText().equals(systemOfLine)));
            hub.kill();
            linesAtKill = ledger(id).stream().map(l -> l.path("system").asText() + ":" + l.path("action").asText()).toList();
        }
        vendor.healthy();
        dashboard.healthy();
        int vendorCommitsBefore = vendor.calls("commit");

        try (HubProcess hub = startHub()) {
            JsonNode view = awaitFinal(hub, id);
            // no decision on disk: committed nowhere, so the restart prepares it again and, the systems being up, commits it
            boolean decidedCommit = !line.equals("rollback");
            assertThat(view.path("status").asText()).as("killed with " + linesAtKill)
                    .isEqualTo(decidedCommit ? "committed" : "rolled_back");
            assertThat(vendor.holds(id)).isEqualTo(decidedCommit);
            assertThat(dashboard.holds(id)).isEqualTo(decidedCommit);
            assertThat(Files.exists(data.resolve("mainframe/outbox/" + id + ".dat"))).isEqualTo(decidedCommit);
            assertThat(mainframeCents()).isEqualTo(decidedCommit ? 2500 : 0);
            try (Stream<Path> staged = Files.list(data.resolve("mainframe/staging"))) {
                assertThat(staged.map(p -> p.getFileName().toString())).as("nothing left prepared").isEmpty();
            }
            if (line.equals("commit")) {
                // the mainframe's commit was on disk: recovery does not ask it again
                assertThat(ledger(id).stream().filter(l -> l.path("system").asText().equals("mainframe")
                        && l.path("action").asText().equals("commit"))).hasSize(1);
            }
            assertThat(vendor.commitCalls().getOrDefault(id, new java.util.concurrent.atomic.AtomicInteger()).get())
                    .as("vendor commits sent").isLessThanOrEqualTo(vendorCommitsBefore + 1);
            System.out.printf("killed after %s with %s -> %s%n", line, linesAtKill, view.path("status").asText());
        }
    }

    @Test
    void aLoadKilledAtRandomMomentsLosesAndDoublesNothing() throws Exception {
        Random random = new Random(20261127);
        Map<String, BigDecimal> amounts = new HashMap<>();
        java.util.Set<String> committed = new java.util.HashSet<>();
        int rounds = 3;
        int perRound = 300;
        for (int round = 0; round < rounds; round++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < perRound; i++) {
                String id = String.format("load-%d-%03d", round, i);
                ids.add(id);
                amounts.put(id, BigDecimal.valueOf(random.nextInt(100_000) - 20_000, 2));
            }
            long killAfterMs = random.nextInt(600);
            try (HubProcess hub = startHub()) {
                ExecutorService posters = Executors.newFixedThreadPool(8);
                for (String id : ids) {
                    posters.submit(() -> hub.post("/events", event(id, id.hashCode() % 2 == 0 ? "OH" : "KY", "C", amounts.get(id).toPlainString())));
                }
                // a random moment once the hub is busy: the first commit is on disk, the rest in flight
                String prefix = "\"event_id\":\"load-" + round + "-";
                await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .until(() -> Files.readAllLines(data.resolve("ledger.jsonl")).stream()
                                .anyMatch(l -> l.contains(prefix) && l.contains("\"system\":\"hub\",\"action\":\"commit\"")));
                Thread.sleep(killAfterMs);
                hub.kill();
                posters.shutdownNow();
                posters.awaitTermination(30, TimeUnit.SECONDS);
            }
            recordFinalAtKill(ids);
            try (HubProcess hub = startHub()) {
                for (String id : ids) {
                    int status = hub.post("/events", event(id, id.hashCode() % 2 == 0 ? "OH" : "KY", "C", amounts.get(id).toPlainString())).statusCode();
                    assertThat(status).isIn(200, 202);
                }
                for (String id : ids) {
                    String status = awaitFinal(hub, id).path("status").asText();
                    // accepted and unfinished at the kill: prepared again after the restart, or rolled back everywhere
                    assertThat(status).isIn("committed", "rolled_back");
                    if (status.equals("committed")) {
                        committed.add(id);
                    }
                }
                assertThat(hub.terminate()).as("SIGTERM exits 0").isZero();
            }
            long unfinishedAtKill = ids.stream().filter(id -> !isFinalInLedger(id)).count();
            System.out.printf("round %d: killed %d ms after the first commit with %d of %d events unfinished; all final after restart, %d committed so far%n",
                    round, killAfterMs, unfinishedAtKill, perRound, committed.size());
        }
        BigDecimal expected = committed.stream().map(amounts::get).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(vendor.total()).isEqualByComparingTo(expected);
        assertThat(dashboard.total()).isEqualByComparingTo(expected);
        assertThat(mainframeCents()).isEqualTo(expected.movePointRight(2).longValueExact());
        assertThat(committed).allSatisfy(id -> assertThat(vendor.holds(id) && dashboard.holds(id)).as(id).isTrue());
        System.out.printf("totals after %d rounds: vendor %s, dashboard %s, mainframe %d cents, expected %s%n",
                rounds, vendor.total(), dashboard.total(), mainframeCents(), expected);
    }

    private final Map<String, Boolean> finalAtKill = new HashMap<>();

    /** Whether the event was final when the hub died (recorded before the restart, see killRound). */
    private boolean isFinalInLedger(String id) {
        return finalAtKill.getOrDefault(id, false);
    }

    private void recordFinalAtKill(List<String> ids) throws Exception {
        java.util.Set<String> done = new java.util.HashSet<>();
        for (String text : Files.readAllLines(data.resolve("ledger.jsonl"))) {
            if (text.contains("\"system\":\"hub\"") && (text.contains("\"action\":\"commit\",\"result\":\"success\"")
                    || text.contains("\"action\":\"rollback\""))) {
                int at = text.indexOf("\"event_id\":\"") + 12;
                done.add(text.substring(at, text.indexOf('"', at)));
            }
        }
        ids.forEach(id -> finalAtKill.put(id, done.contains(id)));
    }

    private JsonNode awaitFinal(HubProcess hub, String id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
                RunningHub.FINAL.contains(JSON.readTree(hub.get("/events/" + id).body()).path("status").asText()));
        return JSON.readTree(hub.get("/events/" + id).body());
    }

    private List<JsonNode> ledger(String id) throws Exception {
        Path file = data.resolve("ledger.jsonl");
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode line = JSON.readTree(text);
                if (line != null && id.equals(line.path("event_id").asText())) {
                    lines.add(line);
                }
            } catch (Exception tornLine) {
                // the process may die mid-line
            }
        }
        return lines;
    }

    /** What the mainframe batch would apply: every published D and R record in the outbox. */
    private long mainframeCents() throws Exception {
        long cents = 0;
        try (Stream<Path> files = Files.list(data.resolve("mainframe/outbox"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".dat")).toList()) {
                assertThat(Path.of(file + ".done")).as(file + " has its marker").exists();
                for (String record : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (record.startsWith("D") || record.startsWith("R")) {
                        cents += Long.parseLong(record.substring(59, 71).replace("+", ""));
                    }
                }
            }
        }
        return cents;
    }
}
