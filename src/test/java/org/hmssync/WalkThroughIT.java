package org.hmssync;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.hmssync.support.RunningHub;

/** The walk-through on the embedded default: the ledger in {@code ledger.jsonl}, the DLQ in {@code dlq/}. */
class WalkThroughIT extends WalkThroughTests {

    @Override
    RunningHub startHub(Path data) throws Exception {
        return RunningHub.start(data);
    }

    @Override
    List<JsonNode> ledgerLines(String id) throws Exception {
        return hub.ledgerOnDisk(id);
    }

    @Override
    JsonNode parkedEntry(String id) throws Exception {
        return RunningHub.readJson(data.resolve("dlq/" + id + ".json"));
    }
}
