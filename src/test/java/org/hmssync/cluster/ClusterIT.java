package org.hmssync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Three hubs as processes on the machine's RabbitMQ and a fresh PostgreSQL database, sharing one
 * ledger and one mainframe folder. 1,000 events over 150 claimants are published at once; one hub is
 * SIGKILLed a quarter of the way, started again (it joins and takes a share), and another is
 * SIGKILLed at two thirds. Every event must end committed, once, on both REST peers and in the
 * mainframe folder, each claimant's events in publish order, the dead hubs' events finished by the
 * others within HMS_TAKEOVER_S, every survivor answering for every event, and the exported ledger's
 * chain verifying.
 */
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 1_000;
    private static final int CLAIMANTS = 150;
    private static final int TAKEOVER_S = 6;
    private static final int PARTITIONS = 8;
    private static final String SECRET = "cluster-secret-4711";

    @TempDir
    Path shared;
    /** Every hub process this test started, the killed ones too. */
    private final List<HubProcess> started = new ArrayList<>();

    @Test
    void threeHubsShareTheWorkAndAKilledHubLosesAndDoublesNothing() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        List<HubProcess> hubs = new ArrayList<>();
        try (TestDatabase db = TestDatabase.create(); FakeRestSystem vendor = new FakeRestSystem(); FakeRestSystem dashboard = new FakeRestSystem();
             var connection = TestBroker.connect(); var channel = connection.createChannel()) {
            // commits take a moment, so a kill finds events in every phase
            vendor.delay(Map.of("commit", 4L));
            dashboard.delay(Map.of("dry-run", 2L));
            for (int i = 1; i <= 3; i++) {
                hubs.add(start(i, names, db, vendor, dashboard));
            }
            ClusterHubs.awaitHolding(db, 3, PARTITIONS);

            Map<String, List<String>> published = new LinkedHashMap<>();
            channel.confirmSelect();
            int rounds = (EVENTS + CLAIMANTS - 1) / CLAIMANTS;
            ClusterHubs.publish(channel, names.exchange(), published, "cl", CLAIMANTS, EVENTS, 0, rounds / 2);
            List<Kill> kills = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> vendor.commitCalls().size() >= EVENTS / 8);
            kills.add(kill(hubs, 1, db, kills));
            hubs.set(1, start(2, names, db, vendor, dashboard));   // the same hub back: it joins and takes a share again
            // the second half once it is back; this time the hub writing most right now is killed: the one with the most in flight
            ClusterHubs.publish(channel, names.exchange(), published, "cl", CLAIMANTS, EVENTS, rounds / 2, rounds);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> vendor.commitCalls().size() >= EVENTS * 5 / 8);
            String busiest = db.column("SELECT hub FROM ledger_lines WHERE seq > (SELECT max(seq) - 300 FROM ledger_lines) "
                    + "GROUP BY hub ORDER BY count(*) DESC LIMIT 1").get(0);
            int victim = Integer.parseInt(busiest.substring("hub-".length())) - 1;
            kills.add(kill(hubs, victim, db, kills));

            List<HubProcess> survivors = new ArrayList<>(hubs);
            survivors.remove(victim);
            ClusterHubs.awaitEveryEventFinal(db, EVENTS);

            // every surviving hub answers for every event, and each says committed (once it has read the last rows)
            for (HubProcess hub : survivors) {
                await("hub " + hub.port() + " has read every final line").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> JSON.readTree(hub.get("/summary").body()).path("by_status").path("committed").asInt() == EVENTS);
            }
            for (HubProcess hub : survivors) {
                for (List<String> ids : published.values()) {
                    for (String id : ids) {
                        JsonNode view = JSON.readTree(hub.get("/events/" + id).body());
                        assertThat(view.path("status").asText()).as(id + " on hub " + hub.port()).isEqualTo("committed");
                    }
                }
            }
            // nothing lost, nothing applied twice, each claimant in publish order: on both REST peers
            ClusterHubs.assertAppliedOnceInPublishOrder(List.of(vendor, dashboard), published, EVENTS);
            try (Stream<Path> files = Files.list(shared.resolve("mainframe").resolve("outbox"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".dat")).count()).as("one mainframe file per event").isEqualTo(EVENTS);
            }
            ClusterHubs.assertNoneDecidedOrAcceptedTwice(db);

            // the dead hubs' events were finished by the others, within the takeover bound
            for (Kill kill : kills) {
                ClusterHubs.Takeover takenOver = ClusterHubs.takeover(db, kill.hub, kill.since, kill.at);
                String ofDead = ClusterHubs.linesOfLife(kill.hub, kill.since, kill.at);
                Map<String, String> phases = new TreeMap<>();
                for (String row : db.column("SELECT action FROM (SELECT DISTINCT ON (event_id) event_id, "
                        + "substring(line from '\"system\":\"([a-z_-]+)\"') || ' ' || substring(line from '\"action\":\"([a-z_]+)\"') || ' ' "
                        + "|| coalesce(substring(line from '\"result\":\"([a-z_]+)\"'), '') AS action "
                        + "FROM ledger_lines WHERE " + ofDead + " ORDER BY event_id, seq DESC) last "
                        + "WHERE action <> 'hub commit success'")) {
                    phases.merge(row, "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
                }
                System.out.printf("killed %s at %s: %d of its events finished by the others, the last %s s after the kill; "
                        + "its last line for each unfinished event: %s%n", kill.hub, kill.at, takenOver.events().size(), takenOver.lastFinalS(), phases);
                assertThat(takenOver.events()).as("events " + kill.hub + " left unfinished").isNotEmpty();
                assertThat(Double.parseDouble(takenOver.lastFinalS())).as("seconds from the kill to the last of them final")
                        .isLessThan(TAKEOVER_S + 10);
            }
            Path exported = shared.resolve("exported-ledger.jsonl");
            HubProcess.Result export = HubProcess.command(Map.of(), "export-ledger", exported.toString(), "--url", db.url());
            assertThat(export.exitCode()).as(export.output()).isZero();
            assertThat(export.output()).contains("the chain verifies");
            // an export made before is replaced by a newer one; a file that holds another ledger is not, without --force
            assertThat(HubProcess.command(Map.of(), "export-ledger", exported.toString(), "--url", db.url()).exitCode()).isZero();
            Path other = shared.resolve("other-ledger.jsonl");
            Files.writeString(other, "{\"time\":\"2026-11-01T00:00:00Z\",\"event_id\":\"x\",\"seq\":1}\n");
            HubProcess.Result refused = HubProcess.command(Map.of(), "export-ledger", other.toString(), "--url", db.url());
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("holds another ledger");
            assertThat(Files.readString(other)).contains("\"event_id\":\"x\"");
            for (HubProcess hub : started) {
                assertThat(hub.log()).as("the ledger URL's password in a hub's log").doesNotContain(SECRET);
            }
            System.out.printf("cluster: %d events, %d commit calls on the vendor (retries after a kill included), "
                    + "up to %d commits at once; %s%n", EVENTS, vendor.calls("commit"), vendor.maxConcurrentCommits(), export.output().trim());
        } finally {
            for (HubProcess hub : hubs) {
                hub.close();
            }
            names.delete();
        }
    }

    /** {@code since}: lines of this hub before it are an earlier life of it (it was killed and started again). */
    private record Kill(String hub, String at, String since) { }

    private static Kill kill(List<HubProcess> hubs, int index, TestDatabase db, List<Kill> before) throws Exception {
        String hub = "hub-" + (index + 1);
        String since = before.stream().filter(k -> k.hub.equals(hub)).map(Kill::at).reduce((a, b) -> b).orElse("-infinity");
        // killed with events in flight, or the takeover would have nothing to prove
        ClusterHubs.awaitInFlight(db, hub, since, 3);
        String at = db.column("SELECT now()::text").get(0);
        hubs.get(index).kill();
        return new Kill(hub, at, since);
    }

    private HubProcess start(int n, TestBroker.Names names, TestDatabase db, FakeRestSystem vendor, FakeRestSystem dashboard) throws Exception {
        // a password in the URL (trust authentication ignores it) must never reach a log
        Map<String, String> props = ClusterHubs.properties(names, db.url() + "&password=" + SECRET, "hub-" + n, vendor, dashboard, PARTITIONS);
        props.put("hms.cluster.takeover-s", String.valueOf(TAKEOVER_S));
        props.put("hms.rabbitmq.prefetch", "50");
        HubProcess hub = HubProcess.start(shared, RunningHub.freePort(), props);
        started.add(hub);
        return hub;
    }
}
