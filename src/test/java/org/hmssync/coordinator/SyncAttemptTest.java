package org.hmssync.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.hmssync.event.SyncEvent;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.RetrySettings;
import org.hmssync.support.TestEvents;
import org.junit.jupiter.api.Test;

/** Vote counting: what counts as yes, what silence and lateness count as. */
class SyncAttemptTest {

    static AdapterSettings system(String name, long prepareTimeoutMs) {
        return new AdapterSettings(name, Set.of("*"), null, prepareTimeoutMs, new RetrySettings(1, 1, 1, 1));
    }

    static SyncEvent event(String id) {
        return TestEvents.event(id, "OH", "OH-1");
    }

    final SyncAttempt attempt = new SyncAttempt(event("e-1"), List.of(system("vendor", 60_000), system("dashboard", 60_000),
            system("mainframe", 60_000)));

    @Test
    void everyoneYesIsUnanimous() {
        assertThat(attempt.answer("vendor", true, null).yes()).isTrue();
        assertThat(attempt.answer("dashboard", true, null).yes()).isTrue();
        assertThat(attempt.answer("mainframe", true, null).yes()).isTrue();
        assertThat(attempt.close()).isEmpty();
        assertThat(attempt.unanimousYes()).isTrue();
    }

    @Test
    void silenceIsANoThatMayStillHoldAPrepare() {
        attempt.answer("vendor", true, null);
        attempt.answer("dashboard", false, "HTTP 503 Service Unavailable");
        assertThat(attempt.close()).containsExactly("mainframe");
        assertThat(attempt.unanimousYes()).isFalse();
        Vote silent = attempt.votes().get("mainframe");
        assertThat(silent.yes()).isFalse();
        assertThat(silent.silent()).isTrue();
        assertThat(silent.error()).isEqualTo("no answer within 60000 ms");
        // a rollback goes to the yes and to the silent, not to a system that refused
        assertThat(attempt.votes().get("vendor").mayHoldPrepare()).isTrue();
        assertThat(silent.mayHoldPrepare()).isTrue();
        assertThat(attempt.votes().get("dashboard").mayHoldPrepare()).isFalse();
    }

    @Test
    void anAnswerAfterTheRoundClosedCountsAsNoAndSaysWhy() {
        attempt.answer("vendor", true, null);
        attempt.answer("dashboard", true, null);
        attempt.close();
        Vote late = attempt.answer("mainframe", true, null);
        assertThat(late.yes()).isFalse();
        assertThat(late.error()).startsWith("answered after the 60000 ms deadline; counted as no");
        assertThat(attempt.votes().get("mainframe").silent()).as("the vote counted is the silence").isTrue();
        // the late answer is still known to a rollback that waits for the straggler
        assertThat(attempt.awaitLateAnswer("mainframe", 0).yes()).isTrue();
    }

    @Test
    void anAnswerPastItsSystemsDeadlineIsANoEvenBeforeTheClose() {
        SyncAttempt quick = new SyncAttempt(event("e-2"), List.of(system("vendor", -1)));
        Vote late = quick.answer("vendor", true, null);
        assertThat(late.yes()).isFalse();
        assertThat(late.error()).contains("deadline");
        assertThat(quick.close()).containsExactly("vendor");
    }

    @Test
    void aResumedRunCountsEveryoneAsPreparedAndKnowsWhatIsCommitted() {
        attempt.resumeCommitting(List.of("vendor"));
        assertThat(attempt.isClosed()).isTrue();
        assertThat(attempt.unanimousYes()).isTrue();
        assertThat(attempt.commits()).containsOnlyKeys("vendor");
    }
}
