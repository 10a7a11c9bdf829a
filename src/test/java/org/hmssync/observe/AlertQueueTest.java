package org.hmssync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The webhook's queue: bounded, never waits to take an alert, and makes room by dropping the oldest. */
class AlertQueueTest {

    @Test
    void aFullQueueTakesTheNewAlertAndGivesBackTheOldest() throws Exception {
        AlertQueue queue = new AlertQueue(2);
        assertThat(queue.offer(alert("e1"))).isEmpty();
        assertThat(queue.offer(alert("e2"))).isEmpty();

        assertThat(queue.offer(alert("e3"))).map(Alert::eventId).contains("e1");
        assertThat(queue.offer(alert("e4"))).map(Alert::eventId).contains("e2");

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll(0).eventId()).isEqualTo("e3");
        assertThat(queue.poll(0).eventId()).isEqualTo("e4");
        assertThat(queue.poll(10)).as("empty: nothing after the wait").isNull();
    }

    @Test
    void countsStartAtZeroForEveryKindAndOutcome() {
        AlertCounts counts = new AlertCounts(HubAlerts.KINDS);
        counts.add(HubAlerts.EVENT_PARKED, AlertCounts.DROPPED);

        assertThat(counts.get(HubAlerts.EVENT_PARKED, AlertCounts.DROPPED)).isEqualTo(1);
        assertThat(counts.get(HubAlerts.EVENT_PARKED, AlertCounts.SENT)).isZero();
        assertThat(counts.get(HubAlerts.EVENT_PARKED, AlertCounts.FAILED)).isZero();
    }

    private static Alert alert(String eventId) {
        return new Alert(HubAlerts.EVENT_PARKED, eventId, "event " + eventId, "{\"event_id\":\"" + eventId + "\"}");
    }
}
