package org.hmssync.adapters.mainframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Window mode's staged journal, on real files: what was prepared survives a restart, and only that. */
class BatchWindowDropTest {

    @TempDir
    Path root;
    private CamelContext camel;
    private MainframeRecords records;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        records = new MainframeRecords(Clock.systemUTC(), StandardCharsets.US_ASCII);
        records.setCamelContext(camel);
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aRecordStagedBeforeARestartIsCommittedAfterItAndAWithdrawnOneIsNot() throws Exception {
        try (BatchWindowDrop drop = drop()) {
            drop.stage("w-1", file("w-1", "12.34"));
            drop.stage("w-2", file("w-2", "5.00"));
            drop.stage("w-3", file("w-3", "7.00"));
            drop.withdraw("w-3");
        }
        // no per-event files: the records wait in the staged journal
        assertThat(list(root.resolve("staging"))).isEmpty();

        try (BatchWindowDrop drop = drop()) {
            drop.publish("w-1");
            drop.publish("w-2");
            assertThatThrownBy(() -> drop.publish("w-3")).isInstanceOf(NoSuchFileException.class);
        }
        List<Path> batches = list(root.resolve("outbox")).stream().filter(p -> p.toString().endsWith(".dat")).toList();
        assertThat(batches).hasSize(1);
        List<String> lines = Files.readAllLines(batches.get(0), StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("Dw-1 ").contains("+00000001234");
        assertThat(lines.get(2)).startsWith("Dw-2 ").contains("+00000000500");
        assertThat(lines.get(3)).startsWith("T000000002+000000000001734");
        // the window closed, so the staged journal was rewritten with nothing left in it
        assertThat(Files.readString(root.resolve("window/staged.records"))).isEmpty();
    }

    private BatchWindowDrop drop() throws Exception {
        return new BatchWindowDrop(root, records, StandardCharsets.US_ASCII, 2, 60_000, Clock.systemUTC(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
    }

    private byte[] file(String id, String usd) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(new ObjectMapper().readTree("{\"id\":\"" + id + "\",\"type\":\"benefit_adjusted\","
                + "\"occurred_at\":\"2026-11-27T10:00:00Z\",\"payload\":{\"state\":\"OH\",\"claimant_id\":\"OH-1\",\"delta_usd\":" + usd + "}}"));
        return records.adjustment(exchange);
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
