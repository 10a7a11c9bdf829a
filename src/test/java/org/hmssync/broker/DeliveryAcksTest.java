package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order rules of {@link DeliveryAcks}: what frames a channel receives for deliveries finishing out of order. */
class DeliveryAcksTest {

    private final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Long> requeued = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
            (proxy, method, args) -> {
                switch (method.getName()) {
                    case "basicAck" -> frames.add(args[0] + ((Boolean) args[1] ? "+" : ""));
                    case "basicNack" -> requeued.add((Long) args[0]);
                    case "isOpen" -> {
                        return true;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void finishedDeliveriesWaitForEarlierOnesAndGoOutAsOneMultipleAck() throws Exception {
        DeliveryAcks acks = delivered(10, 5);
        acks.finished(3);
        acks.finished(2);
        assertThat(frames).isEmpty(); // 1 is still running
        acks.finished(1);
        assertThat(frames).containsExactly("3+"); // 1, 2 and 3 in one frame
        acks.finished(5);
        acks.finished(4);
        assertThat(frames).containsExactly("3+", "5+");
    }

    @Test
    void aSlowDeliveryHoldsBackOnlyUpToTheLimitAndIsNeverAcknowledgedTwice() throws Exception {
        DeliveryAcks acks = delivered(3, 6);
        acks.finished(2);
        acks.finished(3);
        assertThat(frames).isEmpty();
        acks.finished(4); // three held back behind 1: they go out one by one
        assertThat(frames).containsExactly("2", "3", "4");
        acks.finished(1);
        assertThat(frames).containsExactly("2", "3", "4", "1+"); // covers only 1: 2-4 are no longer outstanding
        acks.finished(6);
        acks.finished(5);
        assertThat(frames).containsExactly("2", "3", "4", "1+", "6+");
    }

    @Test
    void aRequeuedDeliveryNoLongerHoldsTheOthersBackAndIsNotAcknowledged() throws Exception {
        DeliveryAcks acks = delivered(10, 3);
        acks.finished(2);
        acks.finished(3);
        acks.requeue(1);
        assertThat(frames).containsExactly("3+");
        assertThat(requeued).containsExactly(1L);
    }

    @Test
    void withADelayFinishedDeliveriesWaitForTheTimerAndGoOutTogether() throws Exception {
        DeliveryAcks acks = delivered(10, 6, 200);
        acks.finished(1);
        acks.finished(2);
        acks.finished(4);
        assertThat(frames).isEmpty(); // waiting for the timer: 3, 5 and 6 still run
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 1);
        assertThat(frames).containsExactly("2+"); // 3 still runs, so 4 waits for it
        acks.finished(3);
        acks.finished(5);
        assertThat(frames).containsExactly("2+"); // 6 still runs
        acks.flushNow(); // a channel about to close does not wait for the timer
        assertThat(frames).containsExactly("2+", "5+");
        acks.finished(6);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> frames.size() == 3);
        assertThat(frames).containsExactly("2+", "5+", "6+");
    }

    @Test
    void aStoppingHubAcknowledgesWhatWaitsAndEveryLaterDeliveryAtOnce() throws Exception {
        DeliveryAcks acks = delivered(10, 4, 60_000);
        acks.finished(1);
        assertThat(frames).isEmpty(); // the timer is a minute away
        acks.ackAtOnce();
        assertThat(frames).containsExactly("1+");
        acks.finished(2); // 3 and 4 still run: no waiting any more
        assertThat(frames).containsExactly("1+", "2+");
    }

    @Test
    void aStoppedTimerMeansAcknowledgingAtOnceNotLosingTheAck() throws Exception {
        timer.shutdown();
        DeliveryAcks acks = delivered(10, 2, 200);
        acks.finished(1); // 2 still runs, but the timer cannot take the wait
        assertThat(frames).containsExactly("1+");
    }

    /** Tags 1..count delivered on a tracker that holds back at most maxHeld. */
    private DeliveryAcks delivered(int maxHeld, long count) {
        return delivered(maxHeld, count, 0);
    }

    /** The same, with acks waiting up to delayMs on the test's timer. */
    private DeliveryAcks delivered(int maxHeld, long count, long delayMs) {
        DeliveryAcks acks = new DeliveryAcks(channel, maxHeld, delayMs, timer);
        for (long tag = 1; tag <= count; tag++) {
            acks.delivered(tag);
        }
        return acks;
    }
}
