package org.hmssync.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two requests for one id at once never run the protocol twice for it at the same time. */
class ConcurrencyIT {

    @TempDir
    static Path data;
    static RunningHub hub;
    static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start(data);
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() throws Exception {
        pool.shutdown();
        hub.close();
    }

    @Test
    void fiveUndosAtOnceUndoOnce() throws Exception {
        hub.postEvent(event("cc-undo", "OH", "OH-1", "25"));
        hub.awaitFinal("cc-undo");
        List<Integer> codes = all(5, () -> hub.post("/events/cc-undo/rollback", "application/json", "").statusCode());
        assertThat(codes).containsOnlyOnce(202).containsOnly(202, 409);
        await().atMost(Duration.ofSeconds(20)).until(() -> json(hub.get("/events/cc-undo")).path("status").asText().equals("rolled_back"));
        List<JsonNode> ledger = hub.ledgerOnDisk("cc-undo");
        assertThat(ledger).filteredOn(l -> l.path("action").asText().equals("decision") && l.path("result").asText().equals("abort")).hasSize(1);
        assertThat(ledger).filteredOn(l -> l.path("system").asText().equals("mainframe") && l.path("action").asText().equals("rollback")).hasSize(1);
        assertRunsNeverOverlap(ledger);
    }

    @Test
    void aPostAndAnUndoAtOnceRunOneAfterTheOther() throws Exception {
        List<Integer> codes = all(2, new Callable<>() {
            int calls;

            @Override
            public Integer call() throws Exception {
                synchronized (this) {
                    calls++;
                    if (calls == 1) {
                        return hub.postEvent(event("cc-post-undo", "OH", "OH-2", "5")).statusCode();
                    }
                }
                int status = 404;
                for (int i = 0; i < 50 && status == 404; i++) {
                    status = hub.post("/events/cc-post-undo/rollback", "application/json", "").statusCode();
                }
                return status;
            }
        });
        assertThat(codes).contains(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> RunningHub.FINAL.contains(json(hub.get("/events/cc-post-undo")).path("status").asText()));
        assertRunsNeverOverlap(hub.ledgerOnDisk("cc-post-undo"));
    }

    @Test
    void aReplayAndAnUndoAtOnceNeverOverlap() throws Exception {
        hub.put("/sim/dashboard/mode", "down");
        hub.postEvent(event("cc-replay", "OH", "OH-3", "5"));
        hub.awaitFinal("cc-replay");
        hub.put("/sim/dashboard/mode", "up");
        List<Integer> codes = all(4, new Callable<>() {
            int calls;

            @Override
            public Integer call() throws Exception {
                boolean replay;
                synchronized (this) {
                    replay = calls++ % 2 == 0;
                }
                return replay ? hub.post("/dlq/cc-replay/replay", "application/json", "").statusCode()
                        : hub.post("/events/cc-replay/rollback", "application/json", "").statusCode();
            }
        });
        assertThat(codes).contains(202);
        // the second run (the replay or the undo that won) has begun, and it is final again
        await().atMost(Duration.ofSeconds(30)).until(() -> runsStarted(hub.ledgerOnDisk("cc-replay")) >= 2
                && RunningHub.FINAL.contains(json(hub.get("/events/cc-replay")).path("status").asText()));
        assertRunsNeverOverlap(hub.ledgerOnDisk("cc-replay"));
    }

    /** A run opens with received/replay/an undo's decision and closes with a final hub line; none opens inside another. */
    static void assertRunsNeverOverlap(List<JsonNode> ledger) {
        boolean open = false;
        for (JsonNode l : ledger) {
            boolean hub = l.path("system").asText().equals("hub");
            String action = l.path("action").asText();
            boolean starts = startsARun(l);
            boolean ends = hub && (action.equals("rollback") || (action.equals("commit") && l.path("result").asText().equals("success")));
            if (starts) {
                assertThat(open).as("a run started inside another: " + ledger).isFalse();
                open = true;
            }
            if (ends) {
                open = false;
            }
        }
    }

    private static boolean startsARun(JsonNode l) {
        String action = l.path("action").asText();
        return l.path("system").asText().equals("hub") && (action.equals("received") || action.equals("replay")
                || (action.equals("decision") && l.path("error").asText().startsWith("undo")));
    }

    private static long runsStarted(List<JsonNode> ledger) {
        return ledger.stream().filter(ConcurrencyIT::startsARun).count();
    }

    private static <T> List<T> all(int n, Callable<T> task) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task);
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : pool.invokeAll(tasks)) {
            results.add(f.get());
        }
        return results;
    }
}
