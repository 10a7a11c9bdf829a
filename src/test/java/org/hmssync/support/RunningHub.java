package org.hmssync.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.hmssync.HmsSyncApplication;

/**
 * The hub exactly as {@code java -jar} starts it (same Main, same application.properties, same
 * route files), on a free port and a data folder of the test's own, spoken to over real HTTP.
 */
public final class RunningHub implements AutoCloseable {

    public static final Set<String> FINAL = Set.of("committed", "rolled_back", "needs_attention", "skipped");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningHub(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Quick deadlines and retries so failure paths take a second, not a minute. */
    public static Map<String, String> testDefaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hms.prepare-timeout-ms", "700");
        p.put("hms.simulators.slow-delay-ms", "1400");
        p.put("hms.retry.first-delay-ms", "20");
        p.put("hms.retry.max-delay-ms", "100");
        p.put("hms.coordinator.straggler-wait-ms", "5000");
        p.put("camel.main.shutdown-timeout", "5");
        // a circuit opened by a test's outage lets calls through again within a second of the system's return
        p.put("hms.circuit.open-wait-ms", "200");
        p.put("hms.circuit.open-wait-max-ms", "1000");
        return p;
    }

    public static RunningHub start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    public static RunningHub start(Path dataDir, Map<String, String> overrides) throws Exception {
        int port = freePort();
        Main main = HmsSyncApplication.create();
        Map<String, String> props = testDefaults();
        props.put("hms.http.port", String.valueOf(port));
        props.put("hms.data-dir", dataDir.toString());
        props.putAll(overrides);
        props.forEach(main::addOverrideProperty);
        main.start();
        RunningHub hub = new RunningHub(main, port, dataDir);
        // not health: it may rightly be DOWN (no broker yet), and the management endpoints answer
        // before the REST routes are added; wait for one of those
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> hub.get("/dlq").statusCode() == 200);
        return hub;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public HttpResponse<String> postEvent(String json) throws Exception {
        return post("/events", "application/json", json);
    }

    public HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    public static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    /** Waits until the event is final and returns its {@code GET /events/{id}} view. */
    public JsonNode awaitFinal(String id) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> r = get("/events/" + id);
            return r.statusCode() == 200 && FINAL.contains(json(r).path("status").asText());
        });
        return json(get("/events/" + id));
    }

    /** The event's lines as they are in {@code ledger.jsonl} on disk. */
    public List<JsonNode> ledgerOnDisk(String id) throws IOException {
        Path file = dataDir.resolve("ledger.jsonl");
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        for (String text : Files.readAllLines(file)) {
            if (text.isBlank()) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            if (id.equals(line.path("event_id").asText())) {
                lines.add(line);
            }
        }
        return lines;
    }

    public long ledgerLineCount() throws IOException {
        Path file = dataDir.resolve("ledger.jsonl");
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    public static String event(String id, String state, String claimant, String deltaUsd) {
        String claimantField = claimant == null ? "" : ",\"claimant_id\":\"" + claimant + "\"";
        return "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"" + state + "\""
                + claimantField + ",\"delta_usd\":" + deltaUsd + "},\"occurred_at\":\"2026-11-27T02:14:11Z\"}";
    }

    /**
     * POSTs (empty JSON bodies) to every path at the same moment, behind one gate, and returns the
     * status codes in the order of {@code paths}: operators clicking at once.
     */
    public List<Integer> postAllAtOnce(java.util.concurrent.ExecutorService pool, List<String> paths) throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> calls = new ArrayList<>();
        for (String path : paths) {
            calls.add(pool.submit(() -> {
                gate.await();
                return post(path, "application/json", "").statusCode();
            }));
        }
        gate.countDown();
        List<Integer> codes = new ArrayList<>();
        for (java.util.concurrent.Future<Integer> call : calls) {
            codes.add(call.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        return codes;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
