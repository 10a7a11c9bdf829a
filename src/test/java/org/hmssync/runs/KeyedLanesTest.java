package org.hmssync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.TestEvents.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One claimant's runs one after the other in arrival order; different claimants side by side. */
class KeyedLanesTest {

    final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void oneKeysTasksRunInOrderAndNeverTogether() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 100);
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        for (int i = 0; i < 50; i++) {
            int n = i;
            lanes.submit("claimant:OH-1", () -> {
                if (!running.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                order.add(n);
                running.set(false);
            });
        }
        assertThat(lanes.awaitIdle(10_000)).isTrue();
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(overlapped).isFalse();
    }

    @Test
    void anotherKeyIsNotHeldUpByABlockedLane() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 100);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        lanes.submit("claimant:OH-1", () -> await(release));
        lanes.submit("claimant:OH-1", secondRan::countDown);   // behind the blocked one
        CountDownLatch kyRan = new CountDownLatch(1);
        lanes.submit("claimant:KY-1", kyRan::countDown);
        assertThat(kyRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(secondRan.getCount()).as("OH-1's second task waits for its first").isEqualTo(1);
        release.countDown();
        assertThat(secondRan.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFullHubMakesTheSubmitterWaitUntilATaskEnds() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        lanes.submit("claimant:OH-1", () -> await(release));
        CountDownLatch submitted = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            lanes.submit("claimant:KY-1", () -> { });
            submitted.countDown();
        });
        second.start();
        assertThat(lanes.awaitIdle(0)).isFalse();
        assertThat(submitted.getCount()).as("no room while the first task runs").isEqualTo(1);
        release.countDown();
        assertThat(submitted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lanes.awaitIdle(5_000)).isTrue();
    }

    @Test
    void aFailingTaskDoesNotStopItsLane() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 10);
        CountDownLatch next = new CountDownLatch(1);
        lanes.submit("claimant:OH-1", () -> {
            throw new IllegalStateException("boom");
        });
        lanes.submit("claimant:OH-1", next::countDown);
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theKeyIsTheClaimantElseTheStateElseTheEvent() {
        assertThat(KeyedLanes.keyOf(event("e-1", "OH", "OH-7"))).isEqualTo("claimant:OH-7");
        assertThat(KeyedLanes.keyOf(event("e-2", "OH", null))).isEqualTo("state:OH");
        assertThat(KeyedLanes.keyOf(event("e-3", null, null))).isEqualTo("event:e-3");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
