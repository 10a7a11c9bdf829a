package org.hmssync.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.hmssync.config.HubJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events are kept on disk, not in memory: each is read back from events.jsonl, byte for byte. */
class EventStoreTest {

    final ObjectMapper json = HubJson.mapper();

    @TempDir
    Path dir;

    @Test
    void anEventIsReadBackExactlyAsStoredBeforeAndAfterARestart() throws IOException {
        String first = "{\"id\":\"oh-1\",\"type\":\"benefit_adjusted\",\"payload\":{\"state\":\"OH\",\"delta_usd\":25.10,\"note\":\"Zoë\"}}";
        String second = "{\"id\":\"ky-2\",\"type\":\"rate_changed\",\"payload\":{\"state\":\"KY\",\"delta_usd\":-3.00}}";
        try (EventStore store = open()) {
            store.save(event(first));
            store.save(event(second));
            store.save(event(first.replace("25.10", "99.99")));
            assertThat(store.text("oh-1")).contains(first.replace("25.10", "99.99"));
            assertThat(store.text("ky-2")).contains(second);
        }
        try (EventStore store = open()) {
            // a second copy is only ever written after an acceptance whose received line failed: the
            // corrected retry is the event, after a restart too
            assertThat(store.text("oh-1")).contains(first.replace("25.10", "99.99"));
            assertThat(store.type("ky-2")).contains("rate_changed");
            assertThat(store.find("ky-2").orElseThrow().payload().get("delta_usd").decimalValue()).isEqualByComparingTo("-3.00");
            assertThat(store.text("missing")).isEmpty();
        }
    }

    private EventStore open() throws IOException {
        return new EventStore(dir.resolve("events.jsonl"), 64, json);
    }

    private SyncEvent event(String text) throws IOException {
        return SyncEvent.of((ObjectNode) json.readTree(text));
    }
}
