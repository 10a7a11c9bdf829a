package org.hmssync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An external REST system that outlives the hub: it applies a commit once per Idempotency-Key
 * (as a real vendor does), counts every call, and can be told to be slow or to fail.
 */
public final class FakeRestSystem implements AutoCloseable {

    static {
        // without it the JDK server waits for Nagle and every call takes ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, BigDecimal> applied = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> reversed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> commitCalls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsByPath = new ConcurrentHashMap<>();
    private final java.util.List<String[]> commitOrder = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final AtomicInteger commitsNow = new AtomicInteger();
    private final AtomicInteger commitsMax = new AtomicInteger();
    private volatile Map<String, Long> delays = Map.of();
    private volatile Map<String, Integer> failures = Map.of();

    public FakeRestSystem() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sys";
    }

    /** e.g. delay("dry-run", 5000): calls whose path ends with it answer that much later. */
    public void delay(Map<String, Long> byPathSuffix) {
        this.delays = Map.copyOf(byPathSuffix);
    }

    public void fail(Map<String, Integer> statusByPathSuffix) {
        this.failures = Map.copyOf(statusByPathSuffix);
    }

    public void healthy() {
        delays = Map.of();
        failures = Map.of();
    }

    private void handle(HttpExchange call) throws IOException {
        String path = call.getRequestURI().getPath();
        String kind = path.endsWith("/dry-run") ? "dry-run" : path.endsWith("/reversal") ? "reversal" : "commit";
        callsByPath.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        byte[] body = call.getRequestBody().readAllBytes();
        if (kind.equals("commit")) {
            commitsMax.accumulateAndGet(commitsNow.incrementAndGet(), Math::max);
        }
        try {
            respond(call, kind, body);
        } finally {
            if (kind.equals("commit")) {
                commitsNow.decrementAndGet();
            }
        }
    }

    private void respond(HttpExchange call, String kind, byte[] body) throws IOException {
        try {
            Long delay = delays.get(kind);
            if (delay != null) {
                Thread.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Integer failure = failures.get(kind);
        if (failure != null) {
            answer(call, failure);
            return;
        }
        String key = call.getRequestHeaders().getFirst("Idempotency-Key");
        JsonNode json = JSON.readTree(body);
        if (kind.equals("commit")) {
            commitCalls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            commitOrder.add(new String[] {key, json.path("claimant_id").asText()});
            applied.putIfAbsent(key, json.path("delta_usd").decimalValue());
        } else if (kind.equals("reversal") && applied.containsKey(key)) {
            reversed.putIfAbsent(key, applied.get(key));
        }
        answer(call, 200);
    }

    private static void answer(HttpExchange call, int status) throws IOException {
        byte[] ok = "{}".getBytes();
        call.sendResponseHeaders(status, ok.length);
        call.getResponseBody().write(ok);
        call.close();
    }

    /** What this system holds now: applied minus reversed. */
    public BigDecimal total() {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> e : applied.entrySet()) {
            if (!reversed.containsKey(e.getKey())) {
                sum = sum.add(e.getValue());
            }
        }
        return sum;
    }

    public boolean holds(String id) {
        return applied.containsKey(id) && !reversed.containsKey(id);
    }

    public int calls(String kind) {
        AtomicInteger n = callsByPath.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Every commit call in the order it arrived: {event id, claimant}. */
    public java.util.List<String[]> commitOrder() {
        synchronized (commitOrder) {
            return java.util.List.copyOf(commitOrder);
        }
    }

    public int maxConcurrentCommits() {
        return commitsMax.get();
    }

    public Map<String, AtomicInteger> commitCalls() {
        return commitCalls;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
