package org.hmssync.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DLQ for thousands (batch day, part 3): a few hundred parked events from two kinds of failure
 * and three batches, filtered and paged through the real HTTP API, then one filter's worth replayed
 * by four identical bulk replays and single replays all at once: each event replayed and committed
 * exactly once, counted on REST peers that count commit calls per Idempotency-Key.
 */
class DlqAtScaleIT {

    static final String TOKEN = "op-bulk-5e3c1a";
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final int DASHBOARD_REFUSED = 200;
    static final int VENDOR_REFUSED = 100;

    @TempDir
    Path data;
    FakeRestSystem vendor;
    FakeRestSystem dashboard;
    ExecutorService pool;

    @BeforeEach
    void start() throws Exception {
        vendor = new FakeRestSystem();
        dashboard = new FakeRestSystem();
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        vendor.close();
        dashboard.close();
    }

    @Test
    void threeHundredParkedEventsAreFilteredPagedAndReplayedOnceEachByConcurrentBulkReplays() throws Exception {
        try (RunningHub hub = RunningHub.start(data, Map.of(
                "hms.adapter.debit-vendor.url", vendor.url(),
                "hms.adapter.dashboard.url", dashboard.url(),
                "hms.prepare-timeout-ms", "10000",   // only the refusals set up here may park an event
                "hms.operator.token", TOKEN))) {
            // the dashboard refuses 200 events of batches east and west ...
            dashboard.fail(Map.of("dry-run", 422));
            List<String> refusedByDashboard = new ArrayList<>();
            List<String> east = new ArrayList<>();
            List<String> west = new ArrayList<>();
            List<String> north = new ArrayList<>();
            List<String> posts = new ArrayList<>();
            for (int i = 0; i < DASHBOARD_REFUSED; i++) {
                String id = String.format("dash-%03d", i);
                String batch = i % 2 == 0 ? "batch-east" : "batch-west";
                (i % 2 == 0 ? east : west).add(id);
                refusedByDashboard.add(id);
                posts.add(event(id, batch, i));
            }
            postAll(hub, posts);
            awaitParked(hub, DASHBOARD_REFUSED);
            // ... then the card vendor refuses 100 of batches east and north
            dashboard.healthy();
            vendor.fail(Map.of("dry-run", 422));
            List<String> refusedByVendor = new ArrayList<>();
            posts.clear();
            for (int i = 0; i < VENDOR_REFUSED; i++) {
                String id = String.format("vend-%03d", i);
                String batch = i % 2 == 0 ? "batch-east" : "batch-north";
                (i % 2 == 0 ? east : north).add(id);
                refusedByVendor.add(id);
                posts.add(event(id, batch, 1000 + i));
            }
            postAll(hub, posts);
            awaitParked(hub, DASHBOARD_REFUSED + VENDOR_REFUSED);

            // unpaged, as before: every entry, in parking order
            HttpResponse<String> all = hub.get("/dlq");
            assertThat(all.headers().firstValue("X-Total-Count")).hasValue("300");
            List<String> order = ids(json(all));
            assertThat(order).hasSize(300).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(concat(refusedByDashboard, refusedByVendor));
            List<Instant> parkedAt = new ArrayList<>();
            json(all).forEach(e -> parkedAt.add(Instant.parse(e.path("parked_at").asText())));
            assertThat(parkedAt).isSorted();
            // every dashboard refusal was parked before the first vendor refusal
            assertThat(order.subList(0, DASHBOARD_REFUSED)).containsExactlyInAnyOrderElementsOf(refusedByDashboard);

            // paged: every entry exactly once across the pages, in parking order
            assertThat(pages(hub, "", 37)).containsExactlyElementsOf(order);
            assertThat(pages(hub, "batch_id=batch-west", 30)).containsExactlyElementsOf(inOrder(order, west));

            // each filter
            assertThat(ids(json(hub.get("/dlq?batch_id=batch-east")))).containsExactlyElementsOf(inOrder(order, east));
            assertThat(ids(json(hub.get("/dlq?batch_id=batch-north")))).containsExactlyElementsOf(inOrder(order, north));
            assertThat(ids(json(hub.get("/dlq?batch_id=batch-none")))).isEmpty();
            assertThat(ids(json(hub.get("/dlq?system=dashboard")))).containsExactlyElementsOf(inOrder(order, refusedByDashboard));
            assertThat(ids(json(hub.get("/dlq?system=debit-vendor")))).containsExactlyElementsOf(inOrder(order, refusedByVendor));
            assertThat(ids(json(hub.get("/dlq?system=mainframe")))).as("it refused nothing").isEmpty();
            assertThat(ids(json(hub.get("/dlq?reason=" + enc("DASHBOARD VOTED NO")))))
                    .containsExactlyElementsOf(inOrder(order, refusedByDashboard));
            assertThat(ids(json(hub.get("/dlq?reason=" + enc("debit-vendor voted no at prepare")))))
                    .containsExactlyElementsOf(inOrder(order, refusedByVendor));
            HttpResponse<String> eastVendor = hub.get("/dlq?batch_id=batch-east&system=debit-vendor&limit=10");
            assertThat(eastVendor.headers().firstValue("X-Total-Count")).hasValue("50");
            assertThat(ids(json(eastVendor))).containsExactlyElementsOf(inOrder(order, inBoth(east, refusedByVendor)).subList(0, 10));
            assertThat(pages(hub, "batch_id=batch-east&system=debit-vendor", 7)).containsExactlyElementsOf(inOrder(order, inBoth(east, refusedByVendor)));

            // heal; one filter's worth (the dashboard's refusals of batch east: 100) replayed by four
            // identical bulk replays and single replays of ten of them, all at once
            vendor.healthy();
            List<String> matching = inOrder(order, inBoth(east, refusedByDashboard));
            assertThat(matching).hasSize(100);
            String filter = "{\"batch_id\":\"batch-east\",\"system\":\"dashboard\"}";
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> bulk = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bulk.add(pool.submit(() -> {
                    gate.await();
                    return operatorPost(hub, "/dlq/replay", filter);
                }));
            }
            List<Future<HttpResponse<String>>> singles = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = matching.get(i * 9);
                singles.add(pool.submit(() -> {
                    gate.await();
                    return operatorPost(hub, "/dlq/" + id + "/replay", "");
                }));
            }
            gate.countDown();
            int replaying = 0;
            for (Future<HttpResponse<String>> call : bulk) {
                HttpResponse<String> answer = call.get(60, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                assertThat(json(answer).path("matching").asInt()).isBetween(0, 100);
                replaying += json(answer).path("replaying").asInt();
            }
            int singleStarts = 0;
            for (Future<HttpResponse<String>> call : singles) {
                int status = call.get(60, TimeUnit.SECONDS).statusCode();
                assertThat(status).isIn(202, 409);
                singleStarts += status == 202 ? 1 : 0;
            }
            assertThat(replaying + singleStarts).as("replays started across the concurrent calls").isEqualTo(matching.size());

            // the entries leave as their replays commit
            await().atMost(Duration.ofSeconds(30)).until(() -> json(hub.get("/dlq?batch_id=batch-east&system=dashboard")).isEmpty());
            for (String id : matching) {
                assertThat(json(hub.get("/events/" + id)).path("status").asText()).as(id).isEqualTo("committed");
                assertThat(dashboard.commitCalls().get(id)).as(id + " dashboard commits").hasValue(1);
                assertThat(vendor.commitCalls().get(id)).as(id + " vendor commits").hasValue(1);
            }
            Map<String, Integer> replayLines = replayLinesOnDisk(hub);
            for (String id : matching) {
                assertThat(replayLines.get(id)).as(id + " replay lines").isEqualTo(1);
            }
            Set<String> rest = new HashSet<>(order);
            matching.forEach(rest::remove);
            assertThat(replayLines.keySet()).as("nothing else was replayed").containsExactlyInAnyOrderElementsOf(matching);
            HttpResponse<String> left = hub.get("/dlq");
            assertThat(ids(json(left))).as("the others are still parked, in order").containsExactlyElementsOf(inOrder(order, rest));
            assertThat(left.headers().firstValue("X-Total-Count")).hasValue("200");
            for (String id : rest) {
                assertThat(dashboard.commitCalls().get(id)).as(id).isNull();
            }

            // asked again: nothing matches any more, nothing is replayed
            HttpResponse<String> again = operatorPost(hub, "/dlq/replay", filter);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(json(again).path("replaying").asInt()).isZero();
            assertThat(json(again).path("matching").asInt()).isZero();
            assertThat(replayLinesOnDisk(hub)).isEqualTo(replayLines);
        }
    }

    @Test
    void badParametersAndBodiesAre400AndTheBulkReplayTakesTheOperatorToken() throws Exception {
        try (RunningHub hub = RunningHub.start(data, Map.of(
                "hms.adapter.debit-vendor.url", vendor.url(),
                "hms.adapter.dashboard.url", dashboard.url(),
                "hms.operator.token", TOKEN))) {
            dashboard.fail(Map.of("dry-run", 422));
            postAll(hub, List.of(event("tok-1", "batch-tok", 1), event("tok-2", "batch-tok", 2)));
            awaitParked(hub, 2);
            dashboard.healthy();

            for (String[] bad : new String[][] {
                    {"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=abc", "limit"}, {"limit=2.5", "limit"},
                    {"limit=1&limit=2", "limit"}, {"after=.x", "after"}, {"after=no-such-entry", "after"},
                    {"batch_id=a%2Fb", "batch_id"}, {"system=billing", "system"}}) {
                HttpResponse<String> answer = hub.get("/dlq?" + bad[0]);
                assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                JsonNode error = json(answer);
                assertThat(error.path("error").asText()).as(bad[0]).startsWith(bad[1] + " ");
                assertThat(error.path("details").get(0).path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
            assertThat(ids(json(hub.get("/dlq?limit=&reason=")))).as("empty values are absent ones").hasSize(2);
            List<String> both = ids(json(hub.get("/dlq")));
            assertThat(both).containsExactlyInAnyOrder("tok-1", "tok-2");
            assertThat(ids(json(hub.get("/dlq?limit=1&after=" + both.get(0))))).containsExactly(both.get(1));

            // the bulk replay is an operator call: no token, a wrong one, the ingest's: 401, nothing happens
            for (String token : new String[] {null, "wrong"}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.url("/dlq/replay")))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"all\":true}"));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                HttpResponse<String> refused = hub.send(request);
                assertThat(refused.statusCode()).as(String.valueOf(token)).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
            // a bad body, with the token: 400 naming the field
            for (String[] bad : new String[][] {
                    {"", "body"}, {"not json", "body"}, {"[]", "body"}, {"{}", "all"}, {"{\"all\":false}", "all"},
                    {"{\"colour\":\"red\",\"all\":true}", "colour"}, {"{\"ids\":[]}", "ids"}, {"{\"batch_id\":7}", "batch_id"},
                    {"{\"system\":\"billing\"}", "system"}, {"{\"reason\":\"\"}", "reason"}}) {
                HttpResponse<String> answer = operatorPost(hub, "/dlq/replay", bad[0]);
                assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
                assertThat(json(answer).path("details").get(0).path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
            }
            HttpResponse<String> plain = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/dlq/replay")))
                    .header("Content-Type", "text/plain").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"all\":true}")));
            assertThat(plain.statusCode()).isEqualTo(415);
            assertThat(replayLinesOnDisk(hub)).as("nothing was replayed").isEmpty();
            assertThat(ids(json(hub.get("/dlq")))).containsExactlyElementsOf(both);

            // ids restricts; "all": true takes everything that is left
            HttpResponse<String> one = operatorPost(hub, "/dlq/replay", "{\"ids\":[\"tok-2\",\"never-parked\"]}");
            assertThat(one.statusCode()).isEqualTo(202);
            assertThat(json(one).path("replaying").asInt()).isEqualTo(1);
            assertThat(hub.awaitFinal("tok-2").path("status").asText()).isEqualTo("committed");
            HttpResponse<String> everything = operatorPost(hub, "/dlq/replay", "{\"all\":true}");
            assertThat(json(everything).path("replaying").asInt()).isEqualTo(1);
            assertThat(hub.awaitFinal("tok-1").path("status").asText()).isEqualTo("committed");
            await().atMost(Duration.ofSeconds(10)).until(() -> json(hub.get("/dlq")).isEmpty());
            assertThat(replayLinesOnDisk(hub)).isEqualTo(Map.of("tok-1", 1, "tok-2", 1));
        }
    }

    static String event(String id, String batch, int n) {
        return "{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\",\"batch_id\":\"" + batch + "\",\"payload\":{\"state\":\"OH\","
                + "\"claimant_id\":\"OH-" + String.format("%06d", n) + "\",\"delta_usd\":25}}";
    }

    private void postAll(RunningHub hub, List<String> events) throws Exception {
        List<Future<Integer>> calls = new ArrayList<>();
        for (String e : events) {
            calls.add(pool.submit(() -> hub.postEvent(e).statusCode()));
        }
        for (Future<Integer> call : calls) {
            assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(202);
        }
    }

    private static void awaitParked(RunningHub hub, int count) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> hub.get("/dlq?limit=1").headers().firstValue("X-Total-Count").orElse("").equals(String.valueOf(count)));
    }

    private static HttpResponse<String> operatorPost(RunningHub hub, String path, String body) throws Exception {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Every id of the filter, page by page with {@code after}, asserting no page is longer than the limit. */
    private static List<String> pages(RunningHub hub, String filter, int limit) throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            String query = (filter.isEmpty() ? "" : filter + "&") + "limit=" + limit + (after == null ? "" : "&after=" + after);
            HttpResponse<String> page = hub.get("/dlq?" + query);
            assertThat(page.statusCode()).as(query).isEqualTo(200);
            List<String> ids = ids(json(page));
            assertThat(ids.size()).as(query).isLessThanOrEqualTo(limit);
            if (ids.isEmpty()) {
                return seen;
            }
            seen.addAll(ids);
            after = ids.get(ids.size() - 1);
        }
    }

    /** Per event id, how many {@code replay} lines ledger.jsonl holds. */
    private static Map<String, Integer> replayLinesOnDisk(RunningHub hub) throws Exception {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(hub.dataDir().resolve("ledger.jsonl"))) {
            if (line.contains("\"action\":\"replay\"")) {
                JsonNode node = JSON.readTree(line);
                counts.merge(node.path("event_id").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<String> ids(JsonNode entries) {
        List<String> ids = new ArrayList<>();
        entries.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static List<String> inOrder(List<String> order, java.util.Collection<String> wanted) {
        Set<String> set = new HashSet<>(wanted);
        return order.stream().filter(set::contains).toList();
    }

    private static Set<String> inBoth(List<String> a, List<String> b) {
        Set<String> both = new LinkedHashSet<>(a);
        both.retainAll(new HashSet<>(b));
        return both;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
