package org.hmssync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.TestEvents.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
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
            lanes.submit("claimant:OH-1", task(() -> {
                if (!running.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                order.add(n);
                running.set(false);
            }));
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
        lanes.submit("claimant:OH-1", task(() -> await(release)));
        lanes.submit("claimant:OH-1", task(secondRan::countDown));   // behind the blocked one
        CountDownLatch kyRan = new CountDownLatch(1);
        lanes.submit("claimant:KY-1", task(kyRan::countDown));
        assertThat(kyRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(secondRan.getCount()).as("OH-1's second task waits for its first").isEqualTo(1);
        release.countDown();
        assertThat(secondRan.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFullHubMakesTheSubmitterWaitUntilATaskEnds() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        lanes.submit("claimant:OH-1", task(() -> await(release)));
        CountDownLatch submitted = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            lanes.submit("claimant:KY-1", task(() -> { }));
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
        lanes.submit("claimant:OH-1", task(() -> {
            throw new IllegalStateException("boom");
        }));
        lanes.submit("claimant:OH-1", task(next::countDown));
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLaneWaitsForAHeldTaskWithoutAThreadAndOtherLanesGoOn() throws Exception {
        KeyedLanes lanes = new KeyedLanes(Executors.newFixedThreadPool(1), 10);   // one thread: a blocked one would stop all
        CompletableFuture<Void> held = new CompletableFuture<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        lanes.submit("claimant:OH-1", () -> {
            ran.add("oh-1");
            return held;
        });
        lanes.submit("claimant:OH-1", task(() -> ran.add("oh-2")));
        CountDownLatch kyRan = new CountDownLatch(1);
        lanes.submit("claimant:KY-1", task(() -> {
            ran.add("ky-1");
            kyRan.countDown();
        }));
        assertThat(kyRan.await(5, TimeUnit.SECONDS)).as("the only thread is free while OH-1 waits").isTrue();
        assertThat(ran).containsExactly("oh-1", "ky-1");
        held.complete(null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> ran.contains("oh-2"));
        assertThat(ran).containsExactly("oh-1", "ky-1", "oh-2");
    }

    @Test
    void aClosedLaneDropsWhatIsQueuedAndRefusesMore() throws Exception {
        KeyedLanes lanes = new KeyedLanes(pool, 10);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        lanes.submit("claimant:OH-1", task(() -> {
            started.countDown();
            await(release);
            ran.add("first");
        }));
        lanes.submit("claimant:OH-1", task(() -> ran.add("queued")));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread closing = new Thread(() -> {
            try {
                lanes.close(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closing.start();
        // the close has dropped what was queued and now waits for the running task: then it may end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(1))
                .until(() -> closing.getState() == Thread.State.TIMED_WAITING || closing.getState() == Thread.State.WAITING);
        release.countDown();
        closing.join(5_000);
        assertThat(closing.isAlive()).as("close waits for the running task only").isFalse();
        assertThat(ran).containsExactly("first");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lanes.submit("claimant:KY-1", task(() -> ran.add("late"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopping");
    }

    private static KeyedLanes.Task task(Runnable work) {
        return () -> {
            work.run();
            return null;
        };
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
