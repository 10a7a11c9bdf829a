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
 * really listens on, and the mainframe mode with the limits in force.
 */
class StartupLogIT {

    @TempDir
    Path dir;

    @Test
    void theStartSaysWhereTheHubListensAndWhichMainframeWindowIsInForce() throws Exception {
        int port = RunningHub.freePort();
        Map<String, String> window = Map.of("hms.mainframe.mode", "window",
                "hms.mainframe.window.max-records", "250", "hms.mainframe.window.max-age-ms", "45000");
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), port, window)) {
            assertThat(hub.terminate()).isZero();
            String log = hub.log();
            List<String> listening = lines(log, "listening on");
            assertThat(listening).hasSize(1);
            assertThat(listening.get(0)).contains("HMS-SYNC listening on http://127.0.0.1:" + port + "/")
                    .contains("console /").contains("API /events").contains("/observe/health");
            assertThat(log).as("no line claims an address the hub is not bound to").doesNotContain("0.0.0.0");

            List<String> mainframe = lines(log, "mainframe window mode");
            assertThat(mainframe).hasSize(1);
            assertThat(mainframe.get(0)).contains("at 250 records or 45000 ms").contains("HMS_MAINFRAME_WINDOW_MAX_RECORDS")
                    .contains("HMS_MAINFRAME_WINDOW_MAX_AGE_MS").contains(dir.resolve("data").resolve("mainframe").toString());
        }
    }

    @Test
    void perEventModeSaysSoAndNamesNoWindow() throws Exception {
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), port, Map.of())) {
            assertThat(hub.terminate()).isZero();
            String log = hub.log();
            assertThat(lines(log, "mainframe per-event mode")).hasSize(1);
            assertThat(log).doesNotContain("mainframe window mode");
            assertThat(lines(log, "listening on")).singleElement().asString().contains("http://127.0.0.1:" + port + "/");
        }
    }

    private static List<String> lines(String log, String part) {
        return log.lines().filter(l -> l.contains(part)).toList();
    }
}
