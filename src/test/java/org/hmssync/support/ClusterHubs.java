package org.hmssync.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every cluster test sets on its hubs, and the moment they all hold work. */
public final class ClusterHubs {

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

    /** Waits until {@code hubs} hubs hold units (each unit an advisory lock on its hub's session). */
    public static void awaitHolding(TestDatabase db, int hubs) {
        await(hubs + " hubs holding units").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() ->
                db.column("SELECT count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted")
                        .equals(List.of(String.valueOf(hubs))));
    }
}
