package org.hmssync.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.hmssync.support.SmallDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk under the ledger fills up, or the DLQ folder turns read-only, while the hub runs. Health
 * says so, acceptance is all or nothing, and once writes work again the events the failure stuck
 * are finished and parked without a restart.
 */
class FullDiskIT {

    @TempDir
    Path temp;
    Path data;
    SmallDisk disk;
    FakeRestSystem vendor;

    @BeforeEach
    void folders() throws Exception {
        data = Files.createDirectories(temp.resolve("data"));
        vendor = new FakeRestSystem();
    }

    @AfterEach
    void unmount() throws Exception {
        vendor.close();
        if (disk != null) {
            disk.close();
        }
    }

    /** ledger.jsonl on a disk of its own: the events file keeps working while the ledger cannot write. */
    private RunningHub hubWithLedgerOnSmallDisk(Map<String, String> more) throws Exception {
        disk = SmallDisk.mount(temp.resolve("ledger-disk"), 512);
        Files.createSymbolicLink(data.resolve("ledger.jsonl"), disk.root().resolve("ledger.jsonl"));
        Map<String, String> props = new java.util.HashMap<>(Map.of("hms.repair.interval-ms", "300",
                "hms.adapter.debit-vendor.url", vendor.url()));
        props.putAll(more);
        return RunningHub.start(data, props);
    }

    @Test
    void aFailedAcceptanceLeavesNothingBehindAndTheCorrectedRetryRunsItsOwnBody() throws Exception {
        try (RunningHub hub = hubWithLedgerOnSmallDisk(Map.of())) {
            disk.fill();
            HttpResponse<String> refused = hub.postEvent(event("full-1", "OH", "OH-1", "99"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(json(refused).path("error").asText()).contains("nothing was accepted");
            assertThat(hub.get("/events/full-1").statusCode()).isEqualTo(404);
            HttpResponse<String> health = hub.get("/observe/health?exposureLevel=full");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(health.body()).contains("ledger-disk");

            disk.free();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.get("/observe/health").statusCode() == 200);
            assertThat(hub.postEvent(event("full-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
            assertThat(hub.awaitFinal("full-1").path("status").asText()).isEqualTo("committed");
            // the body that was refused never reached a system
            assertThat(vendor.total()).isEqualByComparingTo("25");
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo("25");
        }
    }

    @Test
    void eventsStuckByAFullDiskAreFinishedAndParkedOnceSpaceComesBackWithoutARestart() throws Exception {
        vendor.delay(Map.of("dry-run", 1500L));
        try (RunningHub hub = hubWithLedgerOnSmallDisk(Map.of("hms.prepare-timeout-ms", "5000"))) {
            List<String> ids = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "stuck-" + i).toList();
            for (String id : ids) {
                assertThat(hub.postEvent(event(id, "OH", "OH-" + id, "5")).statusCode()).isEqualTo(202);
            }
            // every event is in its prepare round, waiting for the vendor; then the disk fills. What
            // still fits in the ledger's last page goes on; the rest of ~100 lines cannot be written
            await().atMost(Duration.ofSeconds(10)).until(() -> vendor.calls("dry-run") == ids.size());
            disk.fill();
            await().atMost(Duration.ofSeconds(15)).until(() -> hub.get("/observe/health").statusCode() == 503);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> ids.stream().anyMatch(id -> !RunningHub.FINAL.contains(statusOf(hub, id))));
            List<String> stuck = ids.stream().filter(id -> !RunningHub.FINAL.contains(statusOf(hub, id))).toList();
            assertThat(stuck).as("events the full disk left short of final").isNotEmpty();

            disk.free();
            vendor.healthy();
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> RunningHub.FINAL.contains(statusOf(hub, id))));
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.get("/observe/health").statusCode() == 200);
            int committed = 0;
            for (String id : ids) {
                String status = statusOf(hub, id);
                assertThat(status).as(id).isIn("committed", "rolled_back");
                if (status.equals("committed")) {
                    committed++;
                    assertThat(vendor.holds(id)).as(id + " on the vendor").isTrue();
                    assertThat(data.resolve("dlq/" + id + ".json")).doesNotExist();
                } else {
                    assertThat(vendor.holds(id)).as(id + " on the vendor").isFalse();
                    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(data.resolve("dlq/" + id + ".json")));
                    assertThat(RunningHub.readJson(data.resolve("dlq/" + id + ".json")).path("status").asText()).isEqualTo("rolled_back");
                    // parked after its final rollback line (an earlier parking, while it was stuck, may precede it)
                    await().atMost(Duration.ofSeconds(10)).until(() -> parkedAfterItsEnd(hub.ledgerOnDisk(id)));
                }
            }
            // nothing applied twice: each system holds exactly the committed events, once
            assertThat(vendor.total()).isEqualByComparingTo(new java.math.BigDecimal(5 * committed));
            assertThat(json(hub.get("/sim/dashboard/program-cost?state=OH")).path("program_cost_usd").decimalValue())
                    .isEqualByComparingTo(new java.math.BigDecimal(5 * committed));

            // and what was parked replays as usual
            String parked = ids.stream().filter(id -> statusOf(hub, id).equals("rolled_back")).findFirst().orElse(null);
            if (parked != null) {
                assertThat(hub.post("/dlq/" + parked + "/replay", "application/json", "").statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(hub, parked).equals("committed"));
                assertThat(vendor.holds(parked)).isTrue();
            }
        }
        // the batches the full disk cut off the file were unlinked again: the chain runs on unbroken
        org.hmssync.ledger.ChainCheck chain = new org.hmssync.ledger.ChainCheck().read(data.resolve("ledger.jsonl"));
        assertThat(chain.firstBreak()).isEmpty();
        assertThat(chain.torn()).isEmpty();
    }

    @Test
    void anEventParkedWhileTheDlqFolderWasReadOnlyReachesTheDlqOnceItIsWritable() throws Exception {
        disk = SmallDisk.mount(data.resolve("dlq"), 1024);
        try (RunningHub hub = RunningHub.start(data, Map.of("hms.repair.interval-ms", "300",
                "hms.adapter.debit-vendor.url", vendor.url()))) {
            disk.readOnly();
            hub.put("/sim/dashboard/mode", "down");
            hub.postEvent(event("ro-1", "OH", "OH-1", "7"));
            assertThat(hub.awaitFinal("ro-1").path("status").asText()).isEqualTo("rolled_back");
            assertThat(json(hub.get("/dlq"))).isEmpty();
            assertThat(hub.ledgerOnDisk("ro-1")).noneMatch(l -> l.path("action").asText().equals("dead_letter"));
            HttpResponse<String> health = hub.get("/observe/health?exposureLevel=full");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("dlq");

            disk.writable();
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).size() == 1);
            assertThat(json(hub.get("/dlq")).get(0).path("reason").asText()).contains("dashboard voted no");
            assertThat(data.resolve("dlq/ro-1.json")).exists();
            assertThat(hub.ledgerOnDisk("ro-1")).filteredOn(l -> l.path("action").asText().equals("dead_letter")).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.get("/observe/health").statusCode() == 200);

            hub.put("/sim/dashboard/mode", "up");
            assertThat(hub.post("/dlq/ro-1/replay", "application/json", "").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> statusOf(hub, "ro-1").equals("committed"));
            assertThat(json(hub.get("/dlq"))).isEmpty();
        }
    }

    private static String statusOf(RunningHub hub, String id) {
        try {
            HttpResponse<String> r = hub.get("/events/" + id);
            return r.statusCode() == 200 ? json(r).path("status").asText() : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static boolean parkedAfterItsEnd(List<JsonNode> ledger) {
        int end = -1;
        int parked = -1;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode l = ledger.get(i);
            if (l.path("system").asText().equals("hub") && l.path("action").asText().equals("rollback")) {
                end = i;
            }
            if (l.path("action").asText().equals("dead_letter")) {
                parked = i;
            }
        }
        return end >= 0 && parked > end;
    }
}
