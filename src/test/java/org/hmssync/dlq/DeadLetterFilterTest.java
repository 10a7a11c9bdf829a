package org.hmssync.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DLQ's filter and its order: (parked_at, id), kept sorted, paged after an id, even one that just left. */
class DeadLetterFilterTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static ParkedEvent parked(String id, String batch, String parkedAt, String reason, Map<String, String> states) {
        ObjectNode event = JSON.createObjectNode().put("id", id).put("type", "benefit_adjusted");
        if (batch != null) {
            event.put("batch_id", batch);
        }
        event.putObject("payload").put("state", "OH");
        Map<String, Object> systems = new java.util.LinkedHashMap<>();
        states.forEach((name, state) -> systems.put(name, Map.of("state", state)));
        return new ParkedEvent(event, reason, parkedAt, "rolled_back", systems);
    }

    @Test
    void everyGivenCriterionMustMatch() {
        ParkedEvent dashNo = parked("e1", "b-1", "2026-11-30T10:00:00.001Z", "dashboard voted no at prepare: HTTP 422",
                Map.of("dashboard", "refused", "debit-vendor", "rolled_back", "mainframe", "pending"));
        ParkedEvent vendorStuck = parked("e2", null, "2026-11-30T10:00:00.002Z", "rollback failed",
                Map.of("debit-vendor", "rollback_failed", "dashboard", "committed"));
        ParkedEvent commitFailed = parked("e3", "b-2", "2026-11-30T10:00:00.003Z", "commit failed",
                Map.of("debit-vendor", "commit_failed"));

        assertThat(DeadLetterFilter.NONE.isEmpty()).isTrue();
        assertThat(DeadLetterFilter.NONE.matches(dashNo)).isTrue();
        assertThat(new DeadLetterFilter("b-1", null, null, null).matches(dashNo)).isTrue();
        assertThat(new DeadLetterFilter("b-1", null, null, null).matches(vendorStuck)).as("no batch_id").isFalse();
        assertThat(new DeadLetterFilter("b-", null, null, null).matches(dashNo)).as("exact, not a prefix").isFalse();

        // a failure state only: refused, commit_failed, rollback_failed
        assertThat(new DeadLetterFilter(null, "dashboard", null, null).matches(dashNo)).isTrue();
        assertThat(new DeadLetterFilter(null, "dashboard", null, null).matches(vendorStuck)).as("committed").isFalse();
        assertThat(new DeadLetterFilter(null, "debit-vendor", null, null).matches(dashNo)).as("rolled_back").isFalse();
        assertThat(new DeadLetterFilter(null, "mainframe", null, null).matches(dashNo)).as("pending").isFalse();
        assertThat(new DeadLetterFilter(null, "debit-vendor", null, null).matches(vendorStuck)).isTrue();
        assertThat(new DeadLetterFilter(null, "debit-vendor", null, null).matches(commitFailed)).isTrue();
        assertThat(new DeadLetterFilter(null, "nowhere", null, null).matches(dashNo)).isFalse();

        assertThat(new DeadLetterFilter(null, null, "DASHBOARD VOTED", null).matches(dashNo)).as("case-insensitive").isTrue();
        assertThat(new DeadLetterFilter(null, null, "http 422", null).matches(dashNo)).isTrue();
        assertThat(new DeadLetterFilter(null, null, "422 http", null).matches(dashNo)).isFalse();

        assertThat(new DeadLetterFilter(null, null, null, Set.of("e1", "e3")).matches(dashNo)).isTrue();
        assertThat(new DeadLetterFilter(null, null, null, Set.of("e1", "e3")).matches(vendorStuck)).isFalse();
        assertThat(new DeadLetterFilter("b-2", "debit-vendor", "commit", Set.of("e3")).matches(commitFailed)).isTrue();
        assertThat(new DeadLetterFilter("b-2", "dashboard", "commit", Set.of("e3")).matches(commitFailed)).as("one criterion fails").isFalse();
    }

    @Test
    void theStoreKeepsParkingOrderAndPagesAfterAnIdEvenOneThatLeft() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dir.resolve("dlq"), JSON);
        // parked out of order, two at the same millisecond (then by id), and a whole second that
        // Instant.toString prints without millis (".000" would sort after "Z" as text)
        store.park(parked("c", "b", "2026-11-30T10:00:01.500Z", "r", Map.of()));
        store.park(parked("a", "b", "2026-11-30T10:00:01Z", "r", Map.of()));
        store.park(parked("z", "b", "2026-11-30T10:00:00.999Z", "r", Map.of()));
        store.park(parked("b", "b", "2026-11-30T10:00:01.500Z", "r", Map.of()));
        assertThat(ids(store.list())).containsExactly("z", "a", "b", "c");

        // the same order after a restart, from the files
        DeadLetterStore reopened = new DeadLetterStore(dir.resolve("dlq"), JSON);
        assertThat(ids(reopened.list())).containsExactly("z", "a", "b", "c");

        assertThat(ids(store.select(DeadLetterFilter.NONE, null, 2).entries())).containsExactly("z", "a");
        assertThat(ids(store.select(DeadLetterFilter.NONE, "a", 2).entries())).containsExactly("b", "c");
        assertThat(store.select(DeadLetterFilter.NONE, "c", 2).entries()).isEmpty();
        assertThat(store.select(DeadLetterFilter.NONE, "a", 2).matching()).as("in all, not after").isEqualTo(4);

        // the entry a page ended with left the DLQ (its replay committed): the next page still follows it
        store.release("a");
        assertThat(ids(store.select(DeadLetterFilter.NONE, "a", 10).entries())).containsExactly("b", "c");
        assertThatThrownBy(() -> store.select(DeadLetterFilter.NONE, "never-parked", 10)).isInstanceOf(NoSuchElementException.class);

        // parked again after a failed replay: it moves to its new place at the end, once
        store.park(parked("z", "b", "2026-11-30T10:00:02Z", "r again", Map.of()));
        assertThat(ids(store.list())).containsExactly("b", "c", "z");
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.find("z").orElseThrow().reason()).isEqualTo("r again");
        // parked again after it left: no longer remembered as released
        store.park(parked("a", "b", "2026-11-30T10:00:03Z", "r", Map.of()));
        assertThat(ids(store.select(DeadLetterFilter.NONE, "a", 10).entries())).isEmpty();
    }

    @Test
    void pagingThousandsVisitsEachMatchingEntryOnceInOrder() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dir.resolve("dlq"), JSON);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String id = String.format("ev-%04d", i);
            String batch = i % 3 == 0 ? "b-three" : "b-other";
            store.park(parked(id, batch, java.time.Instant.parse("2026-11-30T10:00:00Z").plusMillis(i / 4).toString(), "r", Map.of()));
            if (batch.equals("b-three")) {
                expected.add(id);
            }
        }
        DeadLetterFilter three = new DeadLetterFilter("b-three", null, null, null);
        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            DeadLetterStore.Slice page = store.select(three, after, 97);
            assertThat(page.matching()).isEqualTo(expected.size());
            if (page.entries().isEmpty()) {
                break;
            }
            seen.addAll(ids(page.entries()));
            after = page.entries().get(page.entries().size() - 1).id();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(ids(store.matching(three))).containsExactlyElementsOf(expected);
    }

    private static List<String> ids(List<ParkedEvent> entries) {
        return entries.stream().map(ParkedEvent::id).toList();
    }
}
