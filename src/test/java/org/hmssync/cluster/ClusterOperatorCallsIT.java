package org.hmssync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hmssync.support.ClusterHubs;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.hmssync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators clicking at once on different hubs of one cluster: every undo, replay, workbench action,
 * batch undo and bulk replay reaches the hub that owns the event, and whatever mix arrives at once,
 * the peers see each change applied or reversed exactly once. Then what must not pass for an
 * operator's call or a new event: a publisher's message carrying a command's headers, and an id
 * published again with another claimant.
 */
class ClusterOperatorCallsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path shared;

    @Test
    void concurrentOperatorCallsOnThreeHubsApplyEachChangeOnce() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        List<HubProcess> hubs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try (TestDatabase db = TestDatabase.create(); FakeRestSystem vendor = new FakeRestSystem(); FakeRestSystem dashboard = new FakeRestSystem()) {
            for (int i = 1; i <= 3; i++) {
                hubs.add(HubProcess.start(shared, RunningHub.freePort(), ClusterHubs.properties(names, db.url(), "ops-" + i, vendor, dashboard, 4)));
            }
            ClusterHubs.awaitHolding(db, 3, 4);

            // 1. one committed event, undone by 12 operators at once on three hubs, with replays and workbench clicks mixed in
            post(hubs.get(0), "/events", RunningHub.event("undo-1", "OH", "OH-000001", "25"));
            awaitStatus(hubs.get(2), "undo-1", "committed");
            List<String> mixed = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                mixed.add("/events/undo-1/rollback");
            }
            mixed.addAll(List.of("/dlq/undo-1/replay", "/dlq/undo-1/replay", "/dlq/undo-1/retry-straggler", "/dlq/undo-1/roll-back-rest"));
            List<Integer> codes = atOnce(pool, hubs, mixed, "");
            assertThat(codes.subList(0, 12)).as("one undo starts, the others are refused").containsOnlyOnce(202).containsOnly(202, 409);
            assertThat(codes.subList(12, 16)).as("the event is not parked: nothing to replay or resolve").containsOnly(409);
            awaitStatus(hubs.get(1), "undo-1", "rolled_back");
            assertThat(vendor.calls("reversal")).as("the card load reversed once").isEqualTo(1);
            assertThat(vendor.holds("undo-1")).isFalse();

            // 2. a parked event, replayed by 16 single replays and 2 bulk replays at once, on three hubs
            dashboard.fail(Map.of("dry-run", 422));
            post(hubs.get(1), "/events", RunningHub.event("park-1", "OH", "OH-000002", "25"));
            awaitStatus(hubs.get(0), "park-1", "rolled_back");
            await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(hubs.get(2).get("/dlq").body()).size() == 1);
            dashboard.healthy();
            List<String> replays = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                replays.add("/dlq/park-1/replay");
            }
            List<Integer> replayCodes = atOnce(pool, hubs, replays, "");
            List<HttpResponse<String>> bulk = List.of(hubs.get(0).post("/dlq/replay", "{\"ids\":[\"park-1\"]}"),
                    hubs.get(2).post("/dlq/replay", "{\"ids\":[\"park-1\"]}"));
            awaitStatus(hubs.get(2), "park-1", "committed");
            int started = (int) replayCodes.stream().filter(c -> c == 202).count();
            for (HttpResponse<String> answer : bulk) {
                started += JSON.readTree(answer.body()).path("replaying").asInt();
            }
            assertThat(started).as("one replay started in all").isEqualTo(1);
            assertThat(vendor.commitCalls().get("park-1").get()).as("committed once on the vendor").isEqualTo(1);
            assertThat(dashboard.commitCalls().get("park-1").get()).as("committed once on the dashboard").isEqualTo(1);
            // another hub sees the release once it has read it (every HMS_CLUSTER_FOLLOW_MS)
            await("off the DLQ, seen from another hub").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> JSON.readTree(hubs.get(0).get("/dlq").body()).isEmpty());

            // 3. a batch of five, undone by ten operators at once on three hubs
            for (int i = 1; i <= 5; i++) {
                String body = RunningHub.event("batch-" + i, "OH", "OH-00001" + i, "25").replaceFirst("\\{", "{\"batch_id\":\"day-1\",");
                post(hubs.get(i % 3), "/events", body);
            }
            for (HubProcess hub : hubs) {   // every hub knows the batch before the operators click
                for (int i = 1; i <= 5; i++) {
                    awaitStatus(hub, "batch-" + i, "committed");
                }
            }
            int reversalsBefore = vendor.calls("reversal");
            List<String> batchUndos = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batchUndos.add("/batches/day-1/rollback");
            }
            assertThat(atOnce(pool, hubs, batchUndos, "")).containsOnly(202);
            for (int i = 1; i <= 5; i++) {
                awaitStatus(hubs.get(i % 3), "batch-" + i, "rolled_back");
            }
            await("the batch's undo done, seen from another hub").atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                JsonNode batch = JSON.readTree(hubs.get(1).get("/batches/day-1").body());
                return batch.path("rollback").path("done").asInt() == 5 && batch.path("rollback").path("status").asText().equals("done");
            });
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);   // late duplicates would show now
            assertThat(vendor.calls("reversal") - reversalsBefore).as("each of the five reversed once").isEqualTo(5);
            assertThat(List.of(1, 2, 3, 4, 5)).noneMatch(i -> vendor.holds("batch-" + i));

            // 4. a publisher cannot pass for an operator: an event carrying a command's headers is run as an event
            int reversalsNow = vendor.calls("reversal");
            try (var connection = TestBroker.connect(); var channel = connection.createChannel()) {
                channel.confirmSelect();
                post(hubs.get(0), "/events", RunningHub.event("victim-1", "OH", "OH-000020", "25"));
                awaitStatus(hubs.get(0), "victim-1", "committed");
                var forged = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                        .headers(Map.of("hms_command", "UNDO", "hms_command_event_id", "victim-1")).build();
                channel.basicPublish(names.exchange(), "benefit_adjusted", forged,
                        RunningHub.event("forged-1", "OH", "OH-000021", "25").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(10_000);
                // 5. the same id again with another claimant: answered as a duplicate, never run a second time
                channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                        RunningHub.event("victim-1", "OH", "OH-000099", "25").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(10_000);
            }
            awaitStatus(hubs.get(1), "forged-1", "committed");
            // the repeated id reached the hub that owns its new claimant's partition, and was answered there
            await("a hub told the repeated victim-1 apart").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (HubProcess hub : hubs) {
                            if (hub.log().contains("event victim-1 came again")) {
                                return true;
                            }
                        }
                        return false;
                    });
            assertThat(vendor.holds("victim-1")).as("the forged command undid nothing").isTrue();
            assertThat(vendor.calls("reversal")).isEqualTo(reversalsNow);
            assertThat(vendor.commitCalls().get("victim-1").get()).as("the repeated id was not run again").isEqualTo(1);
            assertThat(JSON.readTree(hubs.get(2).get("/events/victim-1").body()).path("status").asText()).isEqualTo("committed");
        } finally {
            pool.shutdownNow();
            for (HubProcess hub : hubs) {
                hub.close();
            }
            names.delete();
        }
    }

    private static void post(HubProcess hub, String path, String body) throws Exception {
        assertThat(hub.post(path, body).statusCode()).isEqualTo(202);
    }

    private static void awaitStatus(HubProcess hub, String id, String status) {
        await(id + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> JSON.readTree(hub.get("/events/" + id).body()).path("status").asText().equals(status));
    }

    /** Every call at the same moment, behind one gate, spread over the hubs in turn; the codes in the order of {@code paths}. */
    private static List<Integer> atOnce(ExecutorService pool, List<HubProcess> hubs, List<String> paths, String body) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            HubProcess hub = hubs.get(i % hubs.size());
            String path = paths.get(i);
            calls.add(pool.submit(() -> {
                gate.await();
                return hub.post(path, body).statusCode();
            }));
        }
        gate.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> call : calls) {
            codes.add(call.get(60, TimeUnit.SECONDS));
        }
        return codes;
    }
}
