package org.hmssync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ops/prometheus-rules.yml} is valid for Prometheus, and each alert fires on the series it is
 * meant for and stays quiet on the others ({@code ops/prometheus-rules.test.yml}). Needs Debian's
 * {@code promtool} (package {@code prometheus}, which bin/test installs): without it this fails.
 * AlertsIT checks that every metric the rules name is served by the hub.
 */
class PrometheusRulesTest {

    static final Path RULES = Path.of("ops", "prometheus-rules.yml");
    static final Path RULE_TESTS = Path.of("ops", "prometheus-rules.test.yml");

    @Test
    void theRulesAreValid() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertThat(out).contains("SUCCESS: 7 rules found");
    }

    @Test
    void eachAlertFiresOnItsSeriesAndNoneOnAHealthyHub() throws Exception {
        String out = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(out).contains("SUCCESS");
    }

    /** Runs promtool and returns its output; a failure (or no promtool) fails the test with that output. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("promtool is missing: apt-get install prometheus (bin/test installs it when missing)", e);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
            }
            String out = Files.readString(output);
            assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
