package org.hmssync.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements of one channel, sent as few frames as order allows. Events finish out of
 * order (lanes run in parallel), so a finished delivery waits until every earlier one has finished
 * too, and one {@code basicAck(tag, multiple=true)} then settles them all: the broker's cost per
 * message falls with every ack it does not have to process. Finished deliveries held back behind a
 * slow one are acknowledged one by one once there are {@code maxHeld} of them, so a stuck event
 * never stalls the prefetch window.
 *
 * <p>Acknowledgements also wait up to {@code delayMs} to travel together: the broker's cost per
 * ack frame hardly depends on how many messages it settles (on a quorum queue each frame is a
 * command written to its log). An event is final and announced before it is acknowledged, so the
 * wait adds nothing to its latency, only to what a broker would redeliver after a crash (and the
 * ledger answers a redelivery). A stopping hub acknowledges at once ({@link #ackAtOnce}).
 */
final class DeliveryAcks {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAcks.class);

    private enum State { RUNNING, FINISHED, SETTLED }

    private final Channel channel;
    private final int maxHeld;
    private final long delayMs;
    private final ScheduledExecutorService timer;
    /** Deliveries not yet covered by an ack, in delivery (= tag) order. */
    private final Map<Long, State> open = new LinkedHashMap<>();
    private int held;
    private boolean flushDue;
    /** The hub is stopping: nothing waits, the channel may close any moment. */
    private boolean atOnce;

    /** {@code delayMs} 0: every finished delivery is acknowledged as soon as order allows. */
    DeliveryAcks(Channel channel, int maxHeld, long delayMs, ScheduledExecutorService timer) {
        this.channel = channel;
        this.maxHeld = maxHeld;
        this.delayMs = delayMs;
        this.timer = timer;
    }

    /** On the listener thread, before the delivery is handed on. */
    synchronized void delivered(long tag) {
        open.put(tag, State.RUNNING);
    }

    /** The delivery is done with: acknowledge it, now or with the ones before or after it. */
    synchronized void finished(long tag) throws IOException {
        if (open.replace(tag, State.FINISHED) == null) {
            channel.basicAck(tag, false); // not tracked (delivered before tracking began)
            return;
        }
        held++;
        if (delayMs <= 0 || atOnce || held >= maxHeld) {
            flush();
        } else if (!flushDue) {
            try {
                timer.schedule(this::flushNow, delayMs, TimeUnit.MILLISECONDS);
                flushDue = true;
            } catch (RejectedExecutionException stopping) {
                flush();
            }
        }
    }

    /** Gives the delivery back to the queue; it no longer holds the others back. */
    synchronized void requeue(long tag) throws IOException {
        if (!channel.isOpen()) {
            return; // the broker requeues it with the channel
        }
        channel.basicNack(tag, false, true);
        if (open.replace(tag, State.SETTLED) != null) {
            flush();
        }
    }

    /** From now on acknowledges without waiting (the hub is stopping), starting with what waits. */
    synchronized void ackAtOnce() {
        atOnce = true;
        flushNow();
    }

    /** Sends what is waiting now (the timer's turn, or a channel about to close). */
    synchronized void flushNow() {
        flushDue = false;
        if (!channel.isOpen()) {
            return; // the broker redelivers them; the ledger answers
        }
        try {
            flush();
        } catch (IOException | com.rabbitmq.client.ShutdownSignalException e) {
            LOG.info("could not acknowledge finished deliveries (channel closed); the broker will redeliver them");
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    private void flush() throws IOException {
        long upTo = -1;
        Iterator<Map.Entry<Long, State>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, State> head = it.next();
            if (head.getValue() == State.RUNNING) {
                break;
            }
            if (head.getValue() == State.FINISHED) {
                upTo = head.getKey();
                held--;
            }
            it.remove();
        }
        if (upTo >= 0) {
            channel.basicAck(upTo, true);
        }
        if (held >= maxHeld) {
            for (Map.Entry<Long, State> e : open.entrySet()) {
                if (e.getValue() == State.FINISHED) {
                    channel.basicAck(e.getKey(), false);
                    e.setValue(State.SETTLED);
                }
            }
            held = 0;
        }
    }
}
