package org.hmssync.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hmssync.support.HubProcess;
import org.hmssync.support.RunningHub;
import org.hmssync.support.TcpProxy;
import org.hmssync.support.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While RabbitMQ cannot be reached the hub's log says so once per connection attempt, in one line
 * with host:port and the cause, and never with a stack trace. The hub runs as the jar with its own
 * log4j2.xml, as an operator runs it; its console output is the log read here.
 */
class BrokerDownLogIT {

    /** A line that is a log record (the text layout starts each with its UTC time); anything else is a trace. */
    static final Pattern RECORD = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+ (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) .*");
    static final String PASSWORD = "s3cret-pw";

    @TempDir
    Path dir;

    @Test
    void aBrokerDownAtStartGivesOneWarningLinePerAttemptAndNoStackTrace() throws Exception {
        int nothingListens = RunningHub.freePort();
        String address = "127.0.0.1:" + nothingListens;
        Map<String, String> props = new HashMap<>(TestBroker.Names.unique().properties("amqp://hub:" + PASSWORD + "@" + address + "/"));
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), props)) {
            // two attempts as it starts, then one every 5 s: four are ~10 s of an unreachable broker
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> attempts(lines(hub)).size() >= 4);
            List<String> lines = lines(hub);

            assertThat(lines).as("every line a log record, no stack trace").allMatch(l -> RECORD.matcher(l).matches());
            assertThat(attempts(lines)).allSatisfy(l -> assertThat(l).contains(" WARN ")
                    .contains("RabbitMQ at " + address + " is unreachable").contains("connection refused"));
            // the first two come as the hub starts, among its other start-up lines
            assertThat(steadyState(lines, 2)).as("between attempts, nothing but one line for each")
                    .allSatisfy(l -> assertThat(attempts(List.of(l))).isNotEmpty());
            assertThat(String.join("\n", lines)).as("the URI's password").doesNotContain(PASSWORD);
        }
    }

    @Test
    void aBrokerLostWhileRunningGivesOneWarningLinePerAttemptAndNoStackTrace() throws Exception {
        URI broker = TestBroker.parsed();
        TestBroker.Names names = TestBroker.Names.unique();
        try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort() == -1 ? 5672 : broker.getPort())) {
            String userInfo = broker.getRawUserInfo() == null ? "guest:guest" : broker.getRawUserInfo();
            String address = "127.0.0.1:" + proxy.port();
            Map<String, String> props = new HashMap<>(names.properties("amqp://" + userInfo + "@" + address + "/"));
            try (HubProcess hub = HubProcess.start(dir.resolve("data"), RunningHub.freePort(), props)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> hub.get("/observe/health").statusCode() == 200);
                int before = lines(hub).size();
                proxy.refuse();
                // the container retries a lost consumer every 10 s
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                        .until(() -> attempts(since(lines(hub), before)).size() >= 2);
                List<String> outage = since(lines(hub), before);

                assertThat(outage).as("every line a log record, no stack trace").allMatch(l -> RECORD.matcher(l).matches());
                List<String> attempts = attempts(outage);
                assertThat(attempts).allSatisfy(l -> assertThat(l).contains(" WARN ").contains("RabbitMQ at " + address + " is unreachable"));
                assertThat(steadyState(outage, 0)).as("from the first attempt on, nothing but one line for each")
                        .allSatisfy(l -> assertThat(attempts(List.of(l))).isNotEmpty());
                List<String> told = outage.subList(0, outage.indexOf(attempts.get(0)));
                assertThat(told).as("the loss itself, told once (and the consumer it cancelled)").hasSizeLessThanOrEqualTo(2)
                        .filteredOn(l -> l.contains(" WARN ") && l.contains("RabbitMQ connection to " + address + " lost")).hasSize(1);
            }
        } finally {
            names.delete();
        }
    }

    private static List<String> lines(HubProcess hub) throws Exception {
        return hub.log().lines().toList();
    }

    private static List<String> since(List<String> lines, int from) {
        return lines.subList(Math.min(from, lines.size()), lines.size());
    }

    /** The lines that report a failed connection attempt: the hub's own, or the listener container's. */
    private static List<String> attempts(List<String> lines) {
        return lines.stream().filter(l -> l.contains(" is unreachable") || l.contains("retrying in") || l.contains("Cannot connect"))
                .toList();
    }

    /** From the {@code first} attempt line to the last: the broker is down and nothing else happens. */
    private static List<String> steadyState(List<String> lines, int first) {
        List<String> attempts = attempts(lines);
        return lines.subList(lines.indexOf(attempts.get(first)), lines.indexOf(attempts.get(attempts.size() - 1)) + 1);
    }
}
