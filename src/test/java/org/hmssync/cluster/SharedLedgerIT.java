package org.hmssync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hmssync.config.HubJson;
import org.hmssync.journal.TableSink;
import org.hmssync.ledger.AcceptanceContendedException;
import org.hmssync.ledger.ChainCheck;
import org.hmssync.ledger.ChainSettings;
import org.hmssync.ledger.EventStatus;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Two hubs' ledgers on one PostgreSQL table, written from many threads at once: one hash chain
 * without a gap, each hub folding the other's lines, the database deciding a repeated id, and the
 * table refusing any change to a line.
 */
class SharedLedgerIT {

    private static final ObjectMapper JSON = HubJson.mapper();
    private final LedgerLines lines = new LedgerLines(Clock.systemUTC());

    @Test
    void twoHubsAppendOneChainAndEachFoldsTheOthersLines() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (TestDatabase db = TestDatabase.create();
             HikariDataSource data = ClusterDatabase.open(new ClusterSettings(db.url(), "a", 30_000, 4, 200, 8));
             SyncLedger a = ledger(data, "a"); SyncLedger b = ledger(data, "b")) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SyncLedger hub = t % 2 == 0 ? a : b;
                String name = t % 2 == 0 ? "a" : "b";
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int n = 0; n < 150; n++) {
                        String id = name + "-" + thread + "-" + n;
                        assertThat(hub.register(id, "event:" + id)).isTrue();
                        hub.record(lines.hub(id, LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
                        hub.note(lines.hub(id, LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
                        hub.record(lines.hub(id, LedgerLine.COMMIT, LedgerLine.SUCCESS, null));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            a.follow();
            b.follow();
            assertThat(a.counts().byStatus().get(EventStatus.COMMITTED)).isEqualTo(1200);
            assertThat(b.counts().byStatus().get(EventStatus.COMMITTED)).isEqualTo(1200);
            assertThat(a.find("b-1-149")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(EventStatus.COMMITTED));
            assertThat(b.find("a-0-0")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(EventStatus.COMMITTED));

            ChainCheck chain = new ChainCheck();
            List<String> rows = db.column("SELECT line FROM ledger_lines ORDER BY seq");
            rows.forEach(chain::line);
            chain.end();
            assertThat(chain.firstBreak()).as("one chain across both hubs").isEmpty();
            assertThat(chain.head().seq()).isEqualTo(rows.size()).isEqualTo(3600);
            assertThat(db.column("SELECT count(*) FROM ledger_lines WHERE seq BETWEEN 1 AND 3600")).containsExactly("3600");
            assertThat(a.head()).as("either hub's head is the table's last line").isEqualTo(b.head()).isEqualTo(chain.head());

            // a repeated id: known to either hub, it is not new for the other
            assertThat(b.register("a-0-0", "event:a-0-0")).isFalse();
            // one hub claims a new id and has not written its line yet: for another lane key the other hub must wait
            assertThat(a.register("twice", "claimant:1")).isTrue();
            assertThatThrownBy(() -> b.register("twice", "claimant:2")).isInstanceOf(AcceptanceContendedException.class);
            // ... for the same lane key it is the partition's new holder: the claim is its now
            assertThat(b.register("twice", "claimant:1")).isTrue();

            assertThatThrownBy(() -> db.execute("UPDATE ledger_lines SET line = 'x' WHERE seq = 1")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.execute("DELETE FROM ledger_lines WHERE seq = 3600")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> db.execute("TRUNCATE ledger_lines")).hasMessageContaining("append-only");
        } finally {
            pool.shutdownNow();
        }
    }

    private static SyncLedger ledger(HikariDataSource data, String hub) throws Exception {
        return new SyncLedger(new TableSink<>(data, "ledger_lines", hub, LedgerLine::eventId), new TableAcceptedIds(data, hub, 30_000), 64,
                10_000, JSON, ChainSettings.STRICT);
    }
}
