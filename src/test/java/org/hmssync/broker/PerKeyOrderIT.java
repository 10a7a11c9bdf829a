package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events of one claimant reach a system in the order they were published, while different
 * claimants run in parallel: proven on a stand-in that records the order of the commits it gets.
 */
class PerKeyOrderIT {

    @TempDir
    Path data;

    @Test
    void oneClaimantsEventsCommitInPublishOrderWhileClaimantsRunInParallel() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        try (FakeRestSystem vendor = new FakeRestSystem();
             var connection = TestBroker.connect(); var channel = connection.createChannel()) {
            vendor.delay(Map.of("commit", 15L));
            Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
            props.put("hms.adapter.debit-vendor.url", vendor.url());
            props.put("hms.prepare-timeout-ms", "10000");   // every event must commit: a GC pause on a loaded CI machine is no "no" vote
            try (RunningHub hub = RunningHub.start(data, props)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
                int claimants = 8;
                int perClaimant = 25;
                Map<String, List<String>> published = new HashMap<>();
                channel.confirmSelect();
                for (int n = 0; n < perClaimant; n++) {
                    for (int c = 0; c < claimants; c++) {
                        String claimant = "OH-" + String.format("%06d", c);
                        String id = "ord-" + c + "-" + String.format("%03d", n);
                        published.computeIfAbsent(claimant, k -> new ArrayList<>()).add(id);
                        channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                                RunningHub.event(id, "OH", claimant, "1.00").getBytes(StandardCharsets.UTF_8));
                    }
                }
                channel.waitForConfirmsOrDie(10_000);
                await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                        .until(() -> vendor.commitOrder().size() >= claimants * perClaimant);

                Map<String, List<String>> committed = new HashMap<>();
                for (String[] call : vendor.commitOrder()) {
                    committed.computeIfAbsent(call[1], k -> new ArrayList<>()).add(call[0]);
                }
                assertThat(committed).isEqualTo(published);
                assertThat(vendor.maxConcurrentCommits()).as("different claimants in parallel").isGreaterThan(1);
                System.out.printf("per-key order kept for %d claimants x %d events; up to %d commits at once on the stand-in%n",
                        claimants, perClaimant, vendor.maxConcurrentCommits());
            }
        } finally {
            names.delete();
        }
    }
}
