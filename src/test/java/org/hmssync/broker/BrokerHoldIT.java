package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hmssync.support.RunningHub.json;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hmssync.support.FakeRestSystem;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holding through an outage with RabbitMQ: held events stay unacknowledged, the consumer takes no
 * more than its prefetch (the rest waits in the queue, not in the hub's memory), a hub stopped
 * during the outage loses nothing, and the next one commits every event once, in claimant order.
 */
class BrokerHoldIT {

    @TempDir
    Path data;
    TestBroker.Names names;
    Connection connection;
    Channel channel;
    FakeRestSystem vendor;
    FakeRestSystem dashboard;

    @BeforeEach
    void setUp() throws Exception {
        names = TestBroker.Names.unique();
        connection = TestBroker.connect();
        channel = connection.createChannel();
        vendor = new FakeRestSystem();
        dashboard = new FakeRestSystem();
    }

    @AfterEach
    void tearDown() throws Exception {
        vendor.close();
        dashboard.close();
        connection.close();
        names.delete();
    }

    private Map<String, String> props() {
        Map<String, String> p = new HashMap<>(names.properties(TestBroker.uri()));
        p.put("hms.adapter.debit-vendor.url", vendor.url());
        p.put("hms.adapter.dashboard.url", dashboard.url());
        p.put("hms.hold.max-s", "3600");
        p.put("hms.rabbitmq.prefetch", "10");
        p.put("hms.circuit.open-wait-ms", "200");
        p.put("hms.circuit.open-wait-max-ms", "800");
        return p;
    }

    @Test
    void heldEventsStayInTheQueueThroughAStopAndCommitOnceInClaimantOrderAfterIt() throws Exception {
        dashboard.fail(Map.of("dry-run", 503));
        Map<String, List<String>> published = new HashMap<>();
        try (RunningHub hub = RunningHub.start(data, props())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.get("/observe/health").statusCode() == 200);
            channel.confirmSelect();
            for (int n = 0; n < 5; n++) {
                for (int c = 0; c < 8; c++) {
                    String claimant = "OH-H" + c;
                    String id = "bh-" + c + "-" + n;
                    published.computeIfAbsent(claimant, k -> new ArrayList<>()).add(id);
                    channel.basicPublish(names.exchange(), "benefit_adjusted", null,
                            RunningHub.event(id, "OH", claimant, "25").getBytes(StandardCharsets.UTF_8));
                }
            }
            channel.waitForConfirmsOrDie(10_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> json(hub.get("/systems")).path("dashboard").path("held_events").asInt() > 0);
            Thread.sleep(1500);   // through a few probes
            assertThat(channel.queueDeclarePassive(names.queue()).getMessageCount())
                    .as("beyond the prefetch, the outage waits in the queue").isGreaterThanOrEqualTo(40 - 10);
            assertThat(json(hub.get("/dlq")).size()).isZero();
            assertThat(vendor.commitOrder()).isEmpty();
        }
        // the stopped hub's unacknowledged deliveries return to the queue as its channel closes: nothing was acknowledged early
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.queueDeclarePassive(names.queue()).getMessageCount() == 40);

        dashboard.healthy();
        try (RunningHub hub = RunningHub.start(data, props())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dashboard.commitOrder().size() >= 40 && channel.queueDeclarePassive(names.queue()).getMessageCount() == 0);
            Map<String, List<String>> committed = new HashMap<>();
            dashboard.commitOrder().forEach(c -> committed.computeIfAbsent(c[1], k -> new ArrayList<>()).add(c[0]));
            assertThat(committed).isEqualTo(published);
            published.values().stream().flatMap(List::stream).forEach(id -> {
                assertThat(vendor.commitCalls().get(id).get()).as(id).isEqualTo(1);
                assertThat(dashboard.commitCalls().get(id).get()).as(id).isEqualTo(1);
            });
            assertThat(json(hub.get("/dlq")).size()).isZero();
        }
    }
}
