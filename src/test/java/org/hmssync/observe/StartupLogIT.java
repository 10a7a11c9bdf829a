package org.hmssync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jar says as it starts, read from its own log (the real log4j2.xml): the address it
 * really listens on.
 */
class StartupLogIT {

    @TempDir
    Path dir;

    @Test
    void theStartSaysWhereTheHubListens() throws Exception {
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), port, Map.of())) {
            assertThat(hub.terminate()).isZero();
            String log = hub.log();
            List<String> listening = lines(log, "listening on");
            assertThat(listening).hasSize(1);
            assertThat(listening.get(0)).contains("HMS-SYNC listening on http://127.0.0.1:" + port + "/")
                    .contains("console /").contains("API /events").contains("/observe/health");
            assertThat(log).as("no line claims an address the hub is not bound to").doesNotContain("0.0.0.0");
        }
    }

    private static List<String> lines(String log, String part) {
        return log.lines().filter(l -> l.contains(part)).toList();
    }
}
