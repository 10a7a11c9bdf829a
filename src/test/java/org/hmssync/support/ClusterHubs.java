package org.hmssync.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What every cluster test sets on its hubs, the moment they all hold work, and what each checks at its end. */
public final class ClusterHubs {

    /** The first key of the hubs' unit locks ("HMSS", as in PartitionLeases). */
    private static final long LOCK_CLASS = 0x484d5353L;

    private ClusterHubs() {
    }

    /**
     * A cluster hub named {@code instance} on the test's broker names and database ({@code ledgerUrl}),
     * calling the two REST stand-ins, over {@code partitions} partitions; three cold JVMs on two cores
     * answer slowly at first, so a prepare may take 5 s before it counts as a no vote.
     */
    public static Map<String, String> properties(TestBroker.Names names, String ledgerUrl, String instance, FakeRestSystem vendor,
                                                 FakeRestSystem dashboard, int partitions) {
        Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
        props.put("hms.adapter.debit-vendor.url", vendor.url());
        props.put("hms.adapter.dashboard.url", dashboard.url());
        props.put("hms.ledger.url", ledgerUrl);
        props.put("hms.instance", instance);
        props.put("hms.cluster.partitions", String.valueOf(partitions));
        props.put("hms.prepare-timeout-ms", "5000");
        return props;
    }

    /**
     * Waits until {@code hubs} hubs share the units evenly (the {@code partitions} and the intake, each an
     * advisory lock on its hub's session): every hub holds at least its floor share (so, with
     * two or more units each, a partition). A hub that only just joined may hold the intake alone, and a
     * unit busy with work is never handed over, so a test that loads the cluster before the shares
     * settle could find a hub with no events of its own.
     */
    public static void awaitHolding(TestDatabase db, int hubs, int partitions) {
        int units = partitions + 1;
        String byHub = "SELECT count(*) AS units FROM pg_locks "
                + "WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND classid::bigint = " + LOCK_CLASS
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY pid";
        await(hubs + " hubs sharing " + units + " units").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                db.column("SELECT count(*) FROM (" + byHub + ") h WHERE units >= " + units / hubs)
                        .equals(List.of(String.valueOf(hubs))));
    }

    /**
     * Waits until hub {@code instance} has at least {@code events} events in flight: accepted by it
     * after {@code since} (a timestamp, or {@code -infinity}) and not final yet. A test that kills a
     * hub to prove the takeover kills it then, or the others might have nothing to take over.
     */
    public static void awaitInFlight(TestDatabase db, String instance, String since, int events) {
        String inFlight = "SELECT count(*) FROM (SELECT event_id FROM ledger_lines GROUP BY event_id HAVING bool_or(hub = '" + instance
                + "' AND written_at > '" + since + "' AND line LIKE '%\"action\":\"received\"%') "
                + "AND NOT bool_or(line ~ '\"system\":\"hub\",\"action\":\"(commit|rollback)\"')) f";
        await(instance + " has " + events + " events in flight").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> Integer.parseInt(db.column(inFlight).get(0)) >= events);
    }

    /** The order each claimant's events first reached {@code peer} (a commit retried after a takeover counts once, where it came first). */
    private static Map<String, List<String>> firstCommitOrder(FakeRestSystem peer) {
        Map<String, java.util.LinkedHashSet<String>> seen = new java.util.LinkedHashMap<>();
        for (String[] call : peer.commitOrder()) {
            seen.computeIfAbsent(call[1], k -> new java.util.LinkedHashSet<>()).add(call[0]);
        }
        Map<String, List<String>> order = new java.util.LinkedHashMap<>();
        seen.forEach((claimant, ids) -> order.put(claimant, List.copyOf(ids)));
        return order;
    }

    /**
     * Rounds {@code from} to {@code to} of $1.00 events, one per claimant a round (so claimants
     * interleave), ids {@code <prefix>-<claimant>-<round>}, each recorded under its claimant in
     * {@code published}; confirmed by the broker.
     */
    public static void publish(com.rabbitmq.client.Channel channel, String exchange, Map<String, List<String>> published, String prefix,
                               int claimants, int events, int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            for (int c = 0; c < claimants && n * claimants + c < events; c++) {
                String claimant = "OH-" + String.format("%06d", c);
                String id = prefix + "-" + c + "-" + String.format("%03d", n);
                published.computeIfAbsent(claimant, k -> new ArrayList<>()).add(id);
                channel.basicPublish(exchange, "benefit_adjusted", null, RunningHub.event(id, "OH", claimant, "1.00").getBytes(StandardCharsets.UTF_8));
            }
        }
        channel.waitForConfirmsOrDie(10_000);
    }

    /** Waits until the shared ledger has a final hub line for {@code events} events. */
    public static void awaitEveryEventFinal(TestDatabase db, int events) {
        await("every event final").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                db.column("SELECT count(DISTINCT event_id) FROM ledger_lines WHERE line ~ '\"system\":\"hub\",\"action\":\"(commit|rollback)\"'")
                        .equals(List.of(String.valueOf(events))));
    }

    /** Nothing lost, nothing applied twice, each claimant in publish order: on each peer, for {@code events} events of $1.00. */
    public static void assertAppliedOnceInPublishOrder(List<FakeRestSystem> peers, Map<String, List<String>> published, int events) {
        for (FakeRestSystem peer : peers) {
            assertThat(peer.total()).isEqualByComparingTo(new BigDecimal(events).multiply(new BigDecimal("1.00")));
            assertThat(published.values().stream().flatMap(List::stream)).allMatch(peer::holds);
            Map<String, List<String>> order = firstCommitOrder(peer);
            Map<String, String> outOfOrder = new TreeMap<>();
            published.forEach((claimant, ids) -> {
                if (!ids.equals(order.get(claimant))) {
                    outOfOrder.put(claimant, "published " + ids + ", reached the peer " + order.get(claimant));
                }
            });
            assertThat(outOfOrder).as("claimants whose events reached a peer out of publish order").isEmpty();
        }
    }

    /** In the shared ledger, no event decided twice and none accepted twice. */
    public static void assertNoneDecidedOrAcceptedTwice(TestDatabase db) throws Exception {
        assertThat(db.column("SELECT event_id FROM ledger_lines WHERE line LIKE '%\"action\":\"decision\"%' GROUP BY event_id HAVING count(*) > 1"))
                .as("no event decided twice").isEmpty();
        assertThat(db.column("SELECT event_id FROM ledger_lines WHERE line LIKE '%\"action\":\"received\"%' GROUP BY event_id HAVING count(*) > 1"))
                .as("no event accepted twice").isEmpty();
    }

    /** The ledger lines {@code hub} wrote in the life a kill at {@code at} ended (it began after {@code since}, or {@code -infinity}). */
    public static String linesOfLife(String hub, String since, String at) {
        return "hub = '" + hub + "' AND written_at > '" + since + "' AND written_at <= '" + at + "'";
    }

    /** What the other hubs made of a dead hub's life: the events it left unfinished that they wrote after the kill, and when the last became final. */
    public record Takeover(List<String> events, String lastFinalS) { }

    public static Takeover takeover(TestDatabase db, String hub, String since, String at) throws Exception {
        String ofDead = linesOfLife(hub, since, at);
        String hubCommit = "line LIKE '%\"system\":\"hub\",\"action\":\"commit\"%'";
        List<String> events = db.column("SELECT event_id FROM ledger_lines GROUP BY event_id HAVING bool_or(" + ofDead + ")"
                + " AND bool_or(hub <> '" + hub + "' AND written_at > '" + at + "') AND NOT bool_or(" + ofDead + " AND " + hubCommit + ")");
        String lastFinal = db.column("SELECT extract(epoch FROM max(written_at) - '" + at + "'::timestamptz) FROM ledger_lines "
                + "WHERE " + hubCommit + " AND event_id IN (SELECT event_id FROM ledger_lines WHERE " + ofDead + ")").get(0);
        return new Takeover(events, lastFinal);
    }
}
