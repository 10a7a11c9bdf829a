package org.hmssync.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hmssync.support.TestEvents.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.hmssync.config.HubJson;
import org.hmssync.event.SyncEvent;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.EventStatus;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.settings.AdapterSettings;
import org.hmssync.settings.RetrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol through the hub's own routes, with two stand-in systems whose answers a test sets:
 * what each kind of run asks of whom, and what the ledger says at its end. No HTTP, no waiting on
 * a clock except the one deadline the silent system is there to miss.
 */
class TwoPhaseProtocolTest {

    private static final long DEADLINE_MS = 300;

    @TempDir
    Path dir;
    final ObjectMapper json = HubJson.mapper();
    final LedgerLines lines = new LedgerLines(Clock.systemUTC());
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final Map<String, CountDownLatch> holding = new ConcurrentHashMap<>();
    final ExecutorService branches = Executors.newFixedThreadPool(8);
    DefaultCamelContext context;
    SyncLedger ledger;
    TwoPhaseProtocol protocol;
    final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** Circuits as the hub has them, with no hold (HMS_HOLD_MAX_S=0). */
    Holding noHold;

    @BeforeEach
    void start() throws Exception {
        ledger = new SyncLedger(dir.resolve("ledger.jsonl"), 64, 100, json);
        context = new DefaultCamelContext();
        List<AdapterSettings> adapters = List.of(system("vendor", null), system("dashboard", "${body[payload][state]} != 'KY'"));
        context.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration().errorHandler(noErrorHandler());
                routeConfiguration(AdapterPhaseRoutes.ERRORS).errorHandler(defaultErrorHandler());
            }
        });
        org.hmssync.circuits.SystemCircuits circuits = new org.hmssync.circuits.SystemCircuits(List.of("vendor", "dashboard"),
                new org.hmssync.settings.CircuitSettings(10, 5, 50, 1000, 2, 30_000, 5, 0), timer, 1000);
        circuits.breakers().forEach((name, breaker) -> context.getRegistry().bind(org.hmssync.circuits.SystemCircuits.beanName(name), breaker));
        noHold = new Holding(circuits, new org.hmssync.settings.CircuitSettings(10, 5, 50, 1000, 2, 30_000, 5, 0), new RetrySettings(1, 1, 1, 1));
        context.addRoutes(new AdapterPhaseRoutes(adapters, new AdapterCalls(ledger, lines, context.createProducerTemplate(), 2_000)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String system : List.of("vendor", "dashboard")) {
                    for (String phase : List.of("prepare", "commit", "rollback")) {
                        from("direct:" + system + "-" + phase).routeId(system + "-" + phase).process(e -> answer(system + "-" + phase));
                    }
                }
            }
        });
        context.start();
        protocol = new TwoPhaseProtocol(ledger, lines, new TargetPolicy(context, json, adapters), json,
                new FanOut(context.createProducerTemplate(), branches), DEADLINE_MS, noHold);
    }

    @AfterEach
    void stop() {
        holding.values().forEach(CountDownLatch::countDown);
        branches.shutdownNow();
        timer.shutdownNow();
        context.stop();
        ledger.close();
    }

    private static AdapterSettings system(String name, String when) {
        return new AdapterSettings(name, Set.of("benefit_adjusted"), when, DEADLINE_MS, new RetrySettings(2, 1, 1, 1));
    }

    private void answer(String call) throws InterruptedException {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
        CountDownLatch hold = holding.get(call);
        if (hold != null) {
            hold.await(10, TimeUnit.SECONDS);
        }
        if (failing.contains(call)) {
            throw new IllegalStateException(call + " refused");
        }
    }

    private int calls(String call) {
        AtomicInteger n = calls.get(call);
        return n == null ? 0 : n.get();
    }

    private EventRecord run(SyncEvent event, RunKind kind) {
        if (kind == RunKind.SYNC) {
            ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        }
        protocol.run(event, kind);
        return ledger.find(event.id()).orElseThrow();
    }

    private List<String> hubLines(String id) {
        return ledger.linesOf(id).stream().filter(LedgerLine::isHub).map(l -> l.action() + "/" + l.result()).toList();
    }

    @Test
    void everyoneYesCommitsEverywhere() {
        EventRecord record = run(event("p-yes", "OH", "OH-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.COMMITTED);
        assertThat(hubLines("p-yes")).containsExactly("received/success", "decision/commit", "commit/success");
        assertThat(calls("vendor-commit")).isEqualTo(1);
        assertThat(calls("dashboard-commit")).isEqualTo(1);
        assertThat(calls("vendor-rollback") + calls("dashboard-rollback")).isZero();
    }

    @Test
    void aNoRollsBackOnlyWhereAYesWasGiven() {
        failing.add("dashboard-prepare");
        EventRecord record = run(event("p-no", "OH", "OH-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(record.failedFinal()).isTrue();
        assertThat(record.reason()).startsWith("dashboard voted no at prepare: dashboard-prepare refused");
        assertThat(calls("vendor-rollback")).isEqualTo(1);
        assertThat(calls("dashboard-rollback")).as("a system that refused holds nothing").isZero();
        assertThat(calls("vendor-commit") + calls("dashboard-commit")).isZero();
    }

    @Test
    void aSilentSystemIsANoAndItsLatePrepareIsUndoneOnceItEnds() {
        CountDownLatch slow = new CountDownLatch(1);
        holding.put("dashboard-prepare", slow);
        // the rollback waits (bounded) for the straggler: let it finish once the decision is on disk
        ledger.onDurable(line -> {
            if (LedgerLine.DECISION.equals(line.action())) {
                slow.countDown();
            }
        });
        EventRecord record = run(event("p-silent", "OH", "OH-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(record.reason()).contains("dashboard voted no at prepare: no answer within " + DEADLINE_MS + " ms");
        assertThat(calls("dashboard-rollback")).as("silence may hold a prepare").isEqualTo(1);
        assertThat(calls("vendor-rollback")).isEqualTo(1);
    }

    @Test
    void aCommitThatStillFailsAfterItsRetriesIsCompensatedEverywhere() {
        failing.add("vendor-commit");
        EventRecord record = run(event("p-compensate", "OH", "OH-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(record.failedFinal()).isTrue();
        assertThat(calls("vendor-commit")).as("two attempts").isEqualTo(2);
        assertThat(hubLines("p-compensate")).containsExactly("received/success", "decision/commit", "commit/failure", "rollback/success");
        assertThat(calls("vendor-rollback")).isEqualTo(1);
        assertThat(calls("dashboard-rollback")).isEqualTo(1);
    }

    @Test
    void aRollbackThatStillFailsNeedsAttention() {
        failing.add("vendor-commit");
        failing.add("dashboard-rollback");
        EventRecord record = run(event("p-stuck", "OH", "OH-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.NEEDS_ATTENTION);
        assertThat(record.reason()).startsWith("rollback failed on dashboard");
        assertThat(calls("dashboard-rollback")).isEqualTo(2);
    }

    @Test
    void anUndoReversesWhatIsCommittedAndIsNoFailure() {
        SyncEvent event = event("p-undo", "OH", "OH-1");
        run(event, RunKind.SYNC);
        EventRecord record = run(event, RunKind.UNDO);
        assertThat(record.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(record.failedFinal()).isFalse();
        assertThat(calls("vendor-rollback")).isEqualTo(1);
        assertThat(calls("dashboard-rollback")).isEqualTo(1);
        assertThat(calls("vendor-prepare")).as("no second vote").isEqualTo(1);
    }

    @Test
    void anEventEveryPolicyExcludesIsSkipped() {
        List<AdapterSettings> kyOnlyForNobody = List.of(new AdapterSettings("vendor", Set.of("benefit_adjusted"),
                "${body[payload][state]} == 'XX'", DEADLINE_MS, new RetrySettings(1, 1, 1, 1)));
        TwoPhaseProtocol none = new TwoPhaseProtocol(ledger, lines, new TargetPolicy(context, json, kyOnlyForNobody), json,
                new FanOut(context.createProducerTemplate(), branches), DEADLINE_MS, noHold);
        SyncEvent event = event("p-skip", "KY", "KY-1");
        ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        none.run(event, RunKind.SYNC);
        assertThat(ledger.find("p-skip").orElseThrow().status()).isEqualTo(EventStatus.SKIPPED);
        assertThat(hubLines("p-skip")).containsExactly("received/success", "decision/skip");
        assertThat(calls).isEmpty();
    }

    @Test
    void thePolicyKeepsAnEventAwayFromASystem() {
        EventRecord record = run(event("p-ky", "KY", "KY-1"), RunKind.SYNC);
        assertThat(record.status()).isEqualTo(EventStatus.COMMITTED);
        assertThat(record.systems()).containsExactly("vendor");
        assertThat(calls("dashboard-prepare")).isZero();
    }

    @Test
    void recoveryOfACommitOnDiskAsksOnlyTheSystemsThatHaveNotCommitted() {
        SyncEvent event = event("p-resume", "OH", "OH-1");
        ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.record(lines.system(event.id(), "vendor", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 1L, null));
        ledger.record(lines.system(event.id(), "dashboard", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 1L, null));
        ledger.record(lines.hub(event.id(), LedgerLine.DECISION, LedgerLine.DECIDE_COMMIT, null));
        ledger.record(lines.system(event.id(), "vendor", LedgerLine.COMMIT, LedgerLine.SUCCESS, 1, 1L, null));
        EventRecord record = run(event, RunKind.RECOVER);
        assertThat(record.status()).isEqualTo(EventStatus.COMMITTED);
        assertThat(calls("vendor-commit")).isZero();
        assertThat(calls("dashboard-commit")).isEqualTo(1);
        assertThat(calls("vendor-prepare") + calls("dashboard-prepare")).isZero();
    }

    @Test
    void recoveryWithoutADecisionPreparesAgainSinceNothingWasCommittedAnywhere() {
        SyncEvent event = event("p-again", "OH", "OH-1");
        ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.record(lines.system(event.id(), "vendor", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 1L, null));
        EventRecord record = run(event, RunKind.RECOVER);
        assertThat(record.status()).isEqualTo(EventStatus.COMMITTED);
        assertThat(calls("vendor-prepare")).as("prepared again, by the same id").isEqualTo(1);
        assertThat(calls("dashboard-prepare")).isEqualTo(1);
        assertThat(calls("vendor-commit")).isEqualTo(1);
        assertThat(calls("dashboard-commit")).isEqualTo(1);
        assertThat(calls("vendor-rollback") + calls("dashboard-rollback")).isZero();
    }

    @Test
    void recoveryWithoutADecisionThatMeetsARefusalRollsBackWhereItMayHavePrepared() {
        SyncEvent event = event("p-again-no", "OH", "OH-1");
        ledger.record(lines.hub(event.id(), LedgerLine.RECEIVED, LedgerLine.SUCCESS, null));
        ledger.record(lines.system(event.id(), "vendor", LedgerLine.PREPARE, LedgerLine.SUCCESS, 1, 1L, null));
        failing.add("dashboard-prepare");
        EventRecord record = run(event, RunKind.RECOVER);
        assertThat(record.status()).isEqualTo(EventStatus.ROLLED_BACK);
        assertThat(calls("vendor-rollback")).isEqualTo(1);
        assertThat(calls("vendor-commit") + calls("dashboard-commit")).isZero();
    }
}
