package org.hmssync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.hmssync.support.TestDatabase;

/**
 * The walk-through against a hub in cluster mode (a fresh PostgreSQL database, the machine's
 * RabbitMQ): the same calls get the same answers; the ledger and the DLQ are read from the database.
 */
class ClusterWalkThroughIT extends WalkThroughTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestDatabase db;
    private TestBroker.Names names;

    @Override
    RunningHub startHub(Path data) throws Exception {
        db = TestDatabase.create();
        names = TestBroker.Names.unique();
        Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
        props.put("hms.ledger.url", db.url());
        props.put("hms.instance", "walk-through");
        return RunningHub.start(data, props);
    }

    @Override
    List<JsonNode> ledgerLines(String id) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : db.column("SELECT line FROM ledger_lines WHERE event_id = '" + id + "' ORDER BY seq")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Override
    JsonNode parkedEntry(String id) throws Exception {
        return JSON.readTree(db.column("SELECT convert_from(body, 'UTF8') FROM documents WHERE kind = 'dlq' AND id = '" + id + "'").get(0));
    }

    @Override
    void afterHub() throws Exception {
        try {
            names.delete();
        } finally {
            db.close();
        }
    }
}
