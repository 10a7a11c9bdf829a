package org.hmssync.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.hmssync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What cluster mode refuses at start, each with a sentence that says what to change. */
class ClusterStartIT {

    @TempDir
    Path data;

    @Test
    void aSharedLedgerWithoutTheBrokerIsRefused() {
        assertThatThrownBy(() -> RunningHub.start(data, Map.of("hms.ledger.url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres")))
                .hasStackTraceContaining("HMS_LEDGER_URL is set but HMS_RABBITMQ_URI is not");
    }

    @Test
    void aLedgerUrlThatIsNotPostgresIsRefused() {
        assertThatThrownBy(() -> RunningHub.start(data, Map.of("hms.ledger.url", "jdbc:mysql://127.0.0.1/hms",
                "hms.rabbitmq.uri", TestBroker.uri())))
                .hasStackTraceContaining("HMS_LEDGER_URL must be a jdbc:postgresql:// URL");
    }

    @Test
    void anInstanceIdThatCouldNameAPathIsRefused() throws Exception {
        TestBroker.Names names = TestBroker.Names.unique();
        try (TestDatabase db = TestDatabase.create()) {
            assertThatThrownBy(() -> RunningHub.start(data, cluster(db, names, Map.of("hms.instance", "../hub"))))
                    .hasStackTraceContaining("HMS_INSTANCE_ID must be 1 to 64 letters, digits");
        } finally {
            names.delete();
        }
    }

    private static Map<String, String> cluster(TestDatabase db, TestBroker.Names names, Map<String, String> more) {
        Map<String, String> props = new HashMap<>(names.properties(TestBroker.uri()));
        props.put("hms.ledger.url", db.url());
        props.putAll(more);
        return props;
    }
}
