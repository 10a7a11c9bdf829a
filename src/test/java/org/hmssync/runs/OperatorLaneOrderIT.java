package org.hmssync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's undo goes through the one door like any run: in the claimant's lane, after the
 * claimant's event that is running when it comes, never beside or before it.
 */
class OperatorLaneOrderIT {

    @TempDir
    Path data;

    @Test
    void anUndoWaitsInItsClaimantsLaneBehindTheEventRunningThere() throws Exception {
        try (FakeRestSystem vendor = new FakeRestSystem();
             RunningHub hub = RunningHub.start(data, Map.of("hms.adapter.debit-vendor.url", vendor.url()))) {
            assertThat(hub.postEvent(event("lane-1", "OH", "OH-000777", "25")).statusCode()).isEqualTo(202);
            assertThat(hub.awaitFinal("lane-1").path("status").asText()).isEqualTo("committed");

            vendor.delay(Map.of("commit", 800L));   // the claimant's next event holds its lane for a while
            assertThat(hub.postEvent(event("lane-2", "OH", "OH-000777", "5")).statusCode()).isEqualTo(202);
            assertThat(hub.post("/events/lane-1/rollback", "application/json", "").statusCode()).isEqualTo(202);

            assertThat(hub.awaitFinal("lane-2").path("status").asText()).isEqualTo("committed");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> RunningHub.json(hub.get("/events/lane-1")).path("status").asText().equals("rolled_back"));

            long lane2Final = seqOf(hub.ledgerOnDisk("lane-2"), "hub", "commit");
            long undoStart = hub.ledgerOnDisk("lane-1").stream().filter(l -> l.path("action").asText().equals("rollback"))
                    .mapToLong(l -> l.path("seq").asLong()).min().orElseThrow();
            assertThat(undoStart).as("the undo's first line comes after the running event's final line").isGreaterThan(lane2Final);
            assertThat(vendor.holds("lane-1")).isFalse();
            assertThat(vendor.holds("lane-2")).isTrue();
        }
    }

    private static long seqOf(List<JsonNode> lines, String system, String action) {
        return lines.stream().filter(l -> l.path("system").asText().equals(system) && l.path("action").asText().equals(action))
                .mapToLong(l -> l.path("seq").asLong()).max().orElseThrow();
    }
}
