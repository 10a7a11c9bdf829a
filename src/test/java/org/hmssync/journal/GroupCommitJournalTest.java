package org.hmssync.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real file: callers write for each other, and no line is lost, doubled or reordered. */
class GroupCommitJournalTest {

    @TempDir
    Path dir;

    @Test
    void concurrentCallersEachReturnWithTheirLineOnDiskOnceAndReadableAtItsSpan() throws Exception {
        Path file = dir.resolve("j.jsonl");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Long> spans = Collections.synchronizedList(new ArrayList<>());
        Set<String> folded = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try (GroupCommitJournal<Object> journal = new GroupCommitJournal<>(file, 8, (item, span) -> {
            seen.add((String) item);
            spans.add(span);
            folded.add((String) item);
        })) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String line = "line-" + i;
                calls.add(callers.submit(() -> {
                    journal.appendDurably(line, line);
                    assertThat(folded).as("told before the caller returns").contains(line);
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            List<String> onDisk = Files.readAllLines(file);
            assertThat(onDisk).hasSize(2000).doesNotHaveDuplicates();
            assertThat(seen).as("told in file order").containsExactlyElementsOf(onDisk);
            for (int i = 0; i < spans.size(); i++) {
                assertThat(journal.read(spans.get(i))).isEqualTo(seen.get(i));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aLineNobodyWaitsForReachesTheDiskAloneAndBeforeAnyLaterLine() throws IOException {
        Path file = dir.resolve("j.jsonl");
        try (GroupCommitJournal<Object> journal = new GroupCommitJournal<>(file, 64, (item, span) -> { })) {
            journal.append("noted", null);
            await().atMost(Duration.ofSeconds(2)).until(() -> Files.readAllLines(file).contains("noted"));

            journal.append("vote", null);
            journal.appendDurably("decision", null);
            assertThat(Files.readAllLines(file)).containsExactly("noted", "vote", "decision");
        }
    }

    @Test
    void aNotedLineRidesOnTheNextWaitingCallersForceInsteadOfForcingAlone() throws Exception {
        Path file = dir.resolve("j.jsonl");
        long linger = TimeUnit.MILLISECONDS.toNanos(500); // long, so a slow machine cannot stretch the gap past it
        // idle at once: the flusher sleeps until a line comes, and the vote wakes it
        try (GroupCommitJournal<Object> journal = new GroupCommitJournal<>(file, 64, (item, span) -> { }, linger, 0)) {
            journal.append("vote", null);
            // the vote woke the flusher, which looked and now lingers (a timed park) instead of forcing it alone
            Thread flusher = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("journal-j.jsonl"))
                    .max(java.util.Comparator.comparingLong(Thread::getId)).orElseThrow();   // this journal's: the newest
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(1))
                    .until(() -> flusher.getState() == Thread.State.TIMED_WAITING);
            journal.appendDurably("decision", null);

            assertThat(Files.readAllLines(file)).containsExactly("vote", "decision");
            assertThat(journal.forces()).as("the vote waited for the decision's force").isEqualTo(1);
        }
    }

    @Test
    void anInterruptedCallerStillWritesItsLineAndLeavesTheFileUsableForEveryone() throws Exception {
        Path file = dir.resolve("j.jsonl");
        List<Long> spans = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitJournal<Object> journal = new GroupCommitJournal<>(file, 64, (item, span) -> spans.add(span))) {
            boolean[] stillInterrupted = new boolean[2];
            Thread caller = new Thread(() -> {
                Thread.currentThread().interrupt();
                journal.appendDurably("written by an interrupted thread", null);
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
                Thread.currentThread().interrupt();
                assertThat(journal.read(spans.get(0))).isEqualTo("written by an interrupted thread");
                stillInterrupted[1] = Thread.currentThread().isInterrupted();
            });
            caller.start();
            caller.join();
            assertThat(stillInterrupted).as("the interrupt is kept for the caller").containsExactly(true, true);

            journal.appendDurably("written after it", null);
            assertThat(Files.readAllLines(file)).containsExactly("written by an interrupted thread", "written after it");
            assertThat(journal.read(spans.get(1))).isEqualTo("written after it");
        }
    }

    @Test
    void aLineAfterCloseIsRefusedClearly() throws IOException {
        GroupCommitJournal<Object> journal = new GroupCommitJournal<>(dir.resolve("j.jsonl"), 64, (item, span) -> { });
        journal.append("last", null);
        journal.close();
        assertThat(Files.readAllLines(dir.resolve("j.jsonl"))).as("closing writes what was queued").containsExactly("last");
        assertThatThrownBy(() -> journal.appendDurably("too late", null))
                .isInstanceOf(GroupCommitJournal.JournalException.class).hasMessageContaining("closed");
    }
}
