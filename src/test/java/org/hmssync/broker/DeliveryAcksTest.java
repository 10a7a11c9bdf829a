package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order rules of {@link DeliveryAcks}: what frames a channel receives for deliveries finishing out of order. */
class DeliveryAcksTest {

    private final List<String> frames = new ArrayList<>();
    private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
            (proxy, method, args) -> {
                if (method.getName().equals("basicAck")) {
                    frames.add(args[0] + ((Boolean) args[1] ? "+" : ""));
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void finishedDeliveriesWaitForEarlierOnesAndGoOutAsOneMultipleAck() throws Exception {
        DeliveryAcks acks = new DeliveryAcks(channel, 10);
        for (long tag = 1; tag <= 5; tag++) {
            acks.delivered(tag);
        }
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
        DeliveryAcks acks = new DeliveryAcks(channel, 3);
        for (long tag = 1; tag <= 6; tag++) {
            acks.delivered(tag);
        }
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
        DeliveryAcks acks = new DeliveryAcks(channel, 10);
        acks.delivered(1);
        acks.delivered(2);
        acks.delivered(3);
        acks.finished(2);
        acks.finished(3);
        acks.settled(1);
        assertThat(frames).containsExactly("3+");
    }
}
