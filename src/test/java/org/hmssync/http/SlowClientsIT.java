package org.hmssync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.SlowClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall must not hold the hub: a body that stops coming is answered 408 and its
 * connection closed, a silent connection is closed, and past a cap new connections are refused;
 * meanwhile health answers at once and SIGTERM stops the hub. The hub runs as its own process
 * from the built jar; every socket goes to 127.0.0.1 and is closed at the end.
 */
class SlowClientsIT {

    private static final int FLOOD = 400;

    @TempDir
    Path data;

    private final List<SlowClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (SlowClient client : clients) {
            client.close();
        }
    }

    @Test
    void aFloodOfStalledBodiesIsAnswered408WhileHealthStaysQuickAndSigtermStopsTheHub() throws Exception {
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(data, port, Map.of("hms.http.body-timeout-s", "5", "hms.http.idle-timeout-s", "20",
                "camel.main.shutdown-timeout", "30"))) {
            assertThat(hub.get("/observe/health").statusCode()).as("health before the flood (its first call warms it up)").isEqualTo(200);
            flood(port);

            long asked = System.nanoTime();
            HttpResponse<String> health = hub.get("/observe/health");
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("health with %d stalled clients", FLOOD)
                    .isLessThan(Duration.ofSeconds(4));   // held behind the stalled bodies, it would wait for their 5 s
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP");

            for (SlowClient client : clients) {
                String answer = client.readUntilClosed(Duration.ofSeconds(15));
                assertThat(answer).startsWith("HTTP/1.1 408").contains("request body");
            }
            assertThat(hub.post("/events", event("after-flood-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/events/after-flood-1").body().contains("\"committed\""));

            flood(port);
            long stopping = System.nanoTime();
            assertThat(hub.terminate()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("stop on SIGTERM with %d stalled clients", FLOOD)
                    .isLessThan(Duration.ofSeconds(20));   // a stop held by them would run into the 30 s shutdown timeout
            assertThat(hub.log()).as("a stalled client is not an error").doesNotContain("Unhandled exception")
                    .contains("request bodies due within 5 s");
        }
    }

    @Test
    void aConnectionThatStopsMidHeadersIsClosedAfterTheIdleTimeout() throws Exception {
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(data, port, Map.of("hms.http.idle-timeout-s", "2", "hms.http.body-timeout-s", "30"))) {
            SlowClient silent = SlowClient.partialHeaders(port);
            clients.add(silent);
            long opened = System.nanoTime();
            assertThat(silent.readUntilClosed(Duration.ofSeconds(15))).as("closed without an answer").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(hub.get("/observe/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndTheirSlotsComeBack() throws Exception {
        int port = RunningHub.freePort();
        int cap = 50;
        try (HubProcess hub = HubProcess.start(data, port, Map.of("hms.http.max-connections", String.valueOf(cap),
                "hms.http.body-timeout-s", "60", "hms.http.idle-timeout-s", "60"))) {
            for (int i = 0; i < cap + 10; i++) {
                clients.add(SlowClient.partialBody(port, "/events"));
            }
            // the hub's own start-up check keeps one pooled connection of its own
            await().atMost(Duration.ofSeconds(10)).until(() -> closedByHub() >= 10);
            assertThat(closedByHub()).as("refused of %d", cap + 10).isBetween(10, 12);

            for (SlowClient client : clients) {
                client.close();
            }
            HttpClient fresh = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> fresh.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        }
    }

    private void flood(int port) throws Exception {
        closeClients();
        clients.clear();
        for (int i = 0; i < FLOOD; i++) {
            clients.add(SlowClient.partialBody(port, "/events"));
        }
    }

    private int closedByHub() throws Exception {
        int closed = 0;
        for (SlowClient client : clients) {
            if (client.closedByHub(Duration.ofMillis(1))) {
                closed++;
            }
        }
        return closed;
    }
}
