package org.hmssync.adapters.mainframe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-event landing zone on a real folder: what commit leaves behind, and what a restart repairs. */
class MainframeDropTest {

    @TempDir
    Path root;

    @Test
    void commitLeavesTheFileItsMarkerAndTheHubsLinkToIt() throws Exception {
        published("ev-1", "records");
        assertThat(root.resolve("outbox/ev-1.dat")).hasContent("records");
        assertThat(root.resolve("outbox/ev-1.dat.done")).exists();
        assertThat(root.resolve("sent/ev-1.dat")).hasContent("records");
        assertThat(root.resolve("staging/ev-1.dat")).doesNotExist();
    }

    @Test
    void aRestartMakesAgainTheMarkerACrashTookFromAPublishedFile() throws Exception {
        published("ev-2", "two");
        Files.delete(root.resolve("outbox/ev-2.dat.done")); // what an unforced folder can lose

        new MainframeDrop(root);

        assertThat(root.resolve("outbox/ev-2.dat.done")).exists();
    }

    @Test
    void aRestartMakesNoMarkerForAFileTheHubNeverPublishedOrTheBatchTook() throws Exception {
        published("ev-3", "three");
        Files.delete(root.resolve("outbox/ev-3.dat.done")); // the batch picks it up:
        Files.move(root.resolve("outbox/ev-3.dat"), root.resolve("taken-by-batch.dat"));
        // a rename into the outbox whose sent/ link a crash prevented: the commit is not done yet
        Files.writeString(root.resolve("outbox/ev-4.dat"), "four");

        new MainframeDrop(root);

        assertThat(root.resolve("outbox/ev-3.dat.done")).doesNotExist();
        assertThat(root.resolve("outbox/ev-4.dat.done")).doesNotExist();
    }

    @Test
    void aPrepareMadeAgainLeavesOnlyItsOwnWholeFileInStaging() throws Exception {
        MainframeDrop drop = new MainframeDrop(root);
        drop.stage("ev-5", "a longer first rendering".getBytes(StandardCharsets.US_ASCII));
        drop.stage("ev-5", "second".getBytes(StandardCharsets.US_ASCII)); // written in place: truncated first

        assertThat(root.resolve("staging/ev-5.dat")).hasContent("second");
        try (var staged = Files.list(root.resolve("staging"))) {
            assertThat(staged).containsExactly(root.resolve("staging/ev-5.dat"));
        }
        drop.publish("ev-5");
        assertThat(root.resolve("outbox/ev-5.dat")).hasContent("second");
    }

    /** Prepare and commit of one event, as the adapter's routes call them. */
    private void published(String id, String records) throws Exception {
        MainframeDrop drop = new MainframeDrop(root);
        drop.stage(id, records.getBytes(StandardCharsets.US_ASCII));
        drop.publish(id);
    }
}
