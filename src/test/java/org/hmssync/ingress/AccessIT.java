package org.hmssync.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.RunningHub.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator and ingest tokens: wrong or missing is 401 and nothing happens; a token never reaches the log. */
class AccessIT {

    static final String OPERATOR = "op-s3cret-7f2b9c";
    static final String INGEST = "in-s3cret-91ad04";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyMutatingCallNeedsItsToken() throws Exception {
        Path data = dir.resolve("data");
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(data, port, Map.of("hms.operator.token", OPERATOR, "hms.ingest.token", INGEST))) {
            String base = "http://127.0.0.1:" + port;
            assertThat(call(base + "/events", null, event("acc-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(401);
            assertThat(call(base + "/events", "wrong", event("acc-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(401);
            assertThat(Files.exists(data.resolve("ledger.jsonl")) ? Files.readAllLines(data.resolve("ledger.jsonl")) : java.util.List.of()).isEmpty();
            assertThat(call(base + "/events", INGEST, event("acc-1", "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().until(() -> JSON.readTree(hub.get("/events/acc-1").body()).path("status").asText().equals("committed"));

            for (String path : new String[] {"/events/acc-1/rollback", "/dlq/acc-1/replay", "/dlq/acc-1/retry-straggler", "/dlq/acc-1/roll-back-rest"}) {
                HttpResponse<String> missing = call(base + path, null, "");
                assertThat(missing.statusCode()).as(path).isEqualTo(401);
                assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(call(base + path, INGEST, "").statusCode()).as(path + " with the ingest token").isEqualTo(401);
            }
            assertThat(JSON.readTree(hub.get("/events/acc-1").body()).path("status").asText()).as("nothing happened").isEqualTo("committed");
            assertThat(call(base + "/events/acc-1/rollback", OPERATOR, "").statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().until(() -> JSON.readTree(hub.get("/events/acc-1").body()).path("status").asText().equals("rolled_back"));
            assertThat(hub.terminate()).isZero();
            String log = hub.log();
            assertThat(log).contains("POST /events requires HMS_INGEST_TOKEN").doesNotContain(OPERATOR).doesNotContain(INGEST);
            assertThat(Files.readString(data.resolve("ledger.jsonl"))).doesNotContain(OPERATOR).doesNotContain(INGEST);
        }
    }

    @Test
    void withoutAnOperatorTokenLoopbackIsAllowedAndTheStartSaysSo() throws Exception {
        Path data = dir.resolve("data");
        int port = RunningHub.freePort();
        try (HubProcess hub = HubProcess.start(data, port, Map.of())) {
            String base = "http://127.0.0.1:" + port;
            assertThat(call(base + "/events", null, event("acc-2", "OH", "OH-1", "25")).statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().until(() -> JSON.readTree(hub.get("/events/acc-2").body()).path("status").asText().equals("committed"));
            assertThat(call(base + "/events/acc-2/rollback", null, "").statusCode()).isEqualTo(202);
            assertThat(hub.log()).contains("HMS_OPERATOR_TOKEN is unset: undo, replay and the other operator calls are accepted from loopback only");
        }
    }

    static HttpResponse<String> call(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
