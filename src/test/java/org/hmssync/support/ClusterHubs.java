package org.hmssync.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every cluster test sets on its hubs, and the moment they all hold work. */
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
    public static Map<String, List<String>> firstCommitOrder(FakeRestSystem peer) {
        Map<String, java.util.LinkedHashSet<String>> seen = new java.util.LinkedHashMap<>();
        for (String[] call : peer.commitOrder()) {
            seen.computeIfAbsent(call[1], k -> new java.util.LinkedHashSet<>()).add(call[0]);
        }
        Map<String, List<String>> order = new java.util.LinkedHashMap<>();
        seen.forEach((claimant, ids) -> order.put(claimant, List.copyOf(ids)));
        return order;
    }
}
