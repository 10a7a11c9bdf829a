package org.hmssync.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;
import static org.hmssync.support.RunningHub.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.hmssync.support.RawHttp;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input of contract section 1 gets the right status, names the field, and leaves no trace. */
class IngressValidationIT {

    @TempDir
    static Path data;
    static RunningHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start(data);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    static Stream<Arguments> badEvents() {
        String ok = "\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"delta_usd\":25}";
        return Stream.of(
                Arguments.of("missing id", "{" + ok + "}", "id"),
                Arguments.of("path in id", "{\"id\":\"../../etc/passwd\"," + ok + "}", "id"),
                Arguments.of("slash in id", "{\"id\":\"a/b\"," + ok + "}", "id"),
                Arguments.of("leading dot", "{\"id\":\".hidden\"," + ok + "}", "id"),
                Arguments.of("empty id", "{\"id\":\"\"," + ok + "}", "id"),
                Arguments.of("id of 65", "{\"id\":\"" + "a".repeat(65) + "\"," + ok + "}", "id"),
                Arguments.of("id not text", "{\"id\":42," + ok + "}", "id"),
                Arguments.of("space in id", "{\"id\":\"a b\"," + ok + "}", "id"),
                Arguments.of("missing type", "{\"id\":\"x1\",\"payload\":{}}", "type"),
                Arguments.of("upper-case type", "{\"id\":\"x1\",\"type\":\"Benefit\",\"payload\":{}}", "type"),
                Arguments.of("a type no adapter follows (a typo)", "{\"id\":\"x1\",\"type\":\"benefit_adjustd\",\"payload\":{\"state\":\"OH\",\"delta_usd\":1}}", "type"),
                Arguments.of("type of 65", "{\"id\":\"x1\",\"type\":\"" + "t".repeat(65) + "\",\"payload\":{}}", "type"),
                Arguments.of("missing payload", "{\"id\":\"x1\",\"type\":\"t\"}", "payload"),
                Arguments.of("payload an array", "{\"id\":\"x1\",\"type\":\"t\",\"payload\":[1]}", "payload"),
                Arguments.of("three decimals", "{\"id\":\"x1\",\"type\":\"t\",\"payload\":{\"delta_usd\":25.001}}", "payload.delta_usd"),
                Arguments.of("money as text", "{\"id\":\"x1\",\"type\":\"t\",\"payload\":{\"delta_usd\":\"25\"}}", "payload.delta_usd"),
                Arguments.of("bad occurred_at", "{\"id\":\"x1\",\"type\":\"t\",\"payload\":{},\"occurred_at\":\"yesterday\"}", "occurred_at"),
                Arguments.of("malformed JSON", "{\"id\":\"x1\",", "body"),
                Arguments.of("trailing garbage", "{\"id\":\"x1\",\"type\":\"t\",\"payload\":{}} extra", "body"),
                Arguments.of("duplicate key", "{\"id\":\"x1\",\"id\":\"x2\",\"type\":\"t\",\"payload\":{}}", "body"),
                Arguments.of("an array", "[1,2]", "body"),
                Arguments.of("a string", "\"event\"", "body"),
                Arguments.of("empty body", "", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void aBrokenRuleIsA400NamingTheFieldAndLeavesNoTrace(String what, String body, String field) throws Exception {
        long linesBefore = hub.ledgerLineCount();
        HttpResponse<String> response = hub.postEvent(body);

        assertThat(response.statusCode()).as(what).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).as(what).contains(field);
        assertThat(error.path("details").get(0).path("field").asText()).as(what).isEqualTo(field);
        assertNoTrace(linesBefore);
    }

    @Test
    void aBodyOver256KiBIs413() throws Exception {
        long linesBefore = hub.ledgerLineCount();
        String big = "{\"id\":\"big\",\"type\":\"t\",\"payload\":{\"note\":\"" + "x".repeat(256 * 1024) + "\"}}";
        HttpResponse<String> response = hub.postEvent(big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertJsonError(response, "256 KiB", "body");
        assertNoTrace(linesBefore);
        assertThat(hub.get("/events/big").statusCode()).isEqualTo(404);
    }

    @Test
    void aBodyJustUnderTheLimitIsAccepted() throws Exception {
        String head = "{\"id\":\"nearly-big\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"delta_usd\":1,\"note\":\"";
        String tail = "\"}}";
        String body = head + "x".repeat(256 * 1024 - head.length() - tail.length()) + tail;
        assertThat(body.length()).isEqualTo(256 * 1024);
        assertThat(hub.postEvent(body).statusCode()).isEqualTo(202);
        assertThat(hub.awaitFinal("nearly-big").path("status").asText()).isEqualTo("committed");
    }

    @Test
    void notJsonIs415() throws Exception {
        long linesBefore = hub.ledgerLineCount();
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            HttpResponse<String> response = hub.post("/events", type, event("form-1", "OH", null, "25"));
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(json(response).path("error").asText()).contains("application/json");
        }
        assertNoTrace(linesBefore);
    }

    @Test
    void unknownThingsAre404s() throws Exception {
        assertThat(hub.get("/events/never-seen").statusCode()).isEqualTo(404);
        assertThat(json(hub.get("/events/never-seen")).path("error").asText()).contains("never-seen");
        assertThat(hub.get("/events/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(hub.get("/ledger?event_id=never-seen").statusCode()).isEqualTo(404);
        assertThat(hub.get("/nowhere").statusCode()).isEqualTo(404);
        assertThat(hub.post("/events/never-seen/rollback", "application/json", "").statusCode()).isEqualTo(404);
        assertThat(hub.post("/dlq/never-seen/replay", "application/json", "").statusCode()).isEqualTo(404);
        HttpResponse<String> noId = hub.get("/ledger");
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(json(noId).path("details").get(0).path("field").asText()).isEqualTo("event_id");
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("DELETE", "/events", List.of("GET", "POST")),
                Arguments.of("PUT", "/events/x", List.of("GET")),
                Arguments.of("DELETE", "/events/x/rollback", List.of("POST")),
                Arguments.of("PATCH", "/dlq", List.of("GET")),
                Arguments.of("GET", "/dlq/x/replay", List.of("POST")),
                Arguments.of("POST", "/ledger", List.of("GET")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void anUnknownMethodOnAKnownPathIsA405SayingWhichMethodsAreAllowed(String method, String path, List<String> allowed) throws Exception {
        long linesBefore = hub.ledgerLineCount();
        HttpResponse<String> response = hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(405);
        JsonNode error = assertJsonError(response, method + " is not allowed on " + path, "method");
        assertThat(error.path("error").asText()).contains(String.join(", ", allowed));
        assertThat(response.headers().firstValue("Allow")).hasValue(String.join(", ", allowed));
        assertNoTrace(linesBefore);
    }

    @Test
    void anUnknownPathIsAJson404AndNoFileOfTheWorkingFolderIsServed() throws Exception {
        HttpResponse<String> nowhere = hub.get("/nowhere");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertJsonError(nowhere, "/nowhere", "path");
        // the tests run in the project folder, as an operator runs the jar beside its data and config
        assertThat(Path.of("pom.xml")).exists();
        for (String file : List.of("/pom.xml", "/src/main/resources/application.properties", "/README.md")) {
            HttpResponse<String> response = hub.get(file);
            assertThat(response.statusCode()).as(file).isEqualTo(404);
            assertThat(response.body()).as(file).doesNotContain("<project").doesNotContain("hms.");
        }
        HttpResponse<String> console = hub.get("/");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(console.body()).contains("HMS-SYNC operator console");
        HttpResponse<String> script = hub.get("/console.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("refreshEvents");
        assertThat(hub.get("/console.css").headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
    }

    @Test
    void aPathOrQueryThatCannotBeDecodedIsAJson400() throws Exception {
        Map<String, String> fieldOf = Map.of("/events/%zz", "path", "/dlq/%zz/replay", "path", "/events?limit=%zz", "query",
                "/ledger?event_id=%zz", "query");
        for (Map.Entry<String, String> bad : fieldOf.entrySet()) {
            RawHttp.Answer answer = RawHttp.get(hub.port(), bad.getKey());
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(bad.getKey()).isEqualTo("application/json");
            JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            assertThat(error.path("error").asText()).as(bad.getKey()).contains("could not be decoded");
            assertThat(error.path("details").get(0).path("field").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        assertThat(hub.get("/events?limit=5").statusCode()).as("the next request is served").isEqualTo(200);
    }

    @ParameterizedTest(name = "limit={0}")
    @ValueSource(strings = {"-5", "0", "501", "100000000000", "abc", "2.5", "", "+5"})
    void theEventListLimitMustBeAWholeNumberFrom1To500(String limit) throws Exception {
        HttpResponse<String> response = hub.get("/events?limit=" + java.net.URLEncoder.encode(limit, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = assertJsonError(response, "limit must be a whole number from 1 to 500", "limit");
        assertThat(error.path("details").get(0).path("problem").asText()).isEqualTo("must be a whole number from 1 to 500");
    }

    @Test
    void theEventListTakesEveryLimitFrom1To500() throws Exception {
        for (String id : List.of("list-1", "list-2")) {
            assertThat(hub.postEvent(event(id, "OH", "OH-" + id, "1")).statusCode()).isIn(200, 202);
            hub.awaitFinal(id);
        }
        JsonNode one = json(hub.get("/events?limit=1"));
        assertThat(one).hasSize(1);
        assertThat(json(hub.get("/events?limit=500")).size()).isGreaterThanOrEqualTo(2);
        assertThat(json(hub.get("/events")).findValuesAsText("id")).contains("list-1", "list-2");
    }

    @Test
    void aRepeatedIdIsAnsweredWithItsStatusAndNeverAppliedTwice() throws Exception {
        assertThat(hub.postEvent(event("twice-1", "OH", "OH-9", "25")).statusCode()).isEqualTo(202);
        hub.awaitFinal("twice-1");
        long lines = hub.ledgerOnDisk("twice-1").size();

        HttpResponse<String> again = hub.postEvent(event("twice-1", "OH", "OH-9", "99"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("status").asText()).isEqualTo("committed");
        assertThat(hub.ledgerOnDisk("twice-1")).hasSize((int) lines);
        assertThat(json(hub.get("/sim/debit-vendor/loads")).findValuesAsText("event_id")).containsOnlyOnce("twice-1");
    }

    @Test
    void concurrentPostsOfOneIdAcceptItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                posts.add(() -> hub.postEvent(event("race-1", "OH", "OH-7", "10")).statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(posts)) {
                codes.add(f.get());
            }
            assertThat(codes).containsOnlyOnce(202).containsOnly(202, 200);
        } finally {
            pool.shutdown();
        }
        hub.awaitFinal("race-1");
        assertThat(hub.ledgerOnDisk("race-1")).filteredOn(l -> l.path("action").asText().equals("received")).hasSize(1);
    }

    @Test
    void anOversizedRequestDoesNotDisturbTheNextOne() throws Exception {
        HttpRequest.Builder huge = HttpRequest.newBuilder(URI.create(hub.url("/events")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + "1,".repeat(200_000) + "1]"));
        assertThat(hub.send(huge).statusCode()).isEqualTo(413);
        assertThat(hub.postEvent(event("after-big", "OH", null, "1")).statusCode()).isEqualTo(202);
        hub.awaitFinal("after-big");
    }

    /** The contract's error shape: JSON {"error": "<one sentence>", "details": [{"field", "problem"}]}. */
    private static JsonNode assertJsonError(HttpResponse<String> response, String sentencePart, String field) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).contains(sentencePart);
        assertThat(error.path("details").isArray()).isTrue();
        assertThat(error.path("details").get(0).path("field").asText()).isEqualTo(field);
        return error;
    }

    private static void assertNoTrace(long linesBefore) throws Exception {
        assertThat(hub.ledgerLineCount()).as("no ledger line").isEqualTo(linesBefore);
        try (Stream<Path> files = Files.list(data.resolve("mainframe/staging"))) {
            assertThat(files).as("nothing staged").isEmpty();
        }
        try (Stream<Path> files = Files.list(data.resolve("dlq"))) {
            assertThat(files).as("nothing parked").isEmpty();
        }
    }
}
