package org.hmssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command is {@code bin/test}: on a machine without the tools it installs them
 * (one apt-get update, through sudo when not root), then runs {@code mvn -B verify} with its
 * arguments, and fails when the suite fails; {@code .ci/run} is that command and nothing else.
 * The script runs for real; apt-get, sudo, id and mvn are stand-ins on its PATH that write down how
 * they were called (no package is installed and no suite is run from here).
 */
class TestCommandIT {

    @TempDir
    Path stubs;

    private Path calls;

    @BeforeEach
    void standIns() throws Exception {
        calls = stubs.resolve("calls.log");
        for (String tool : List.of("bash", "env", "dirname", "seq", "sleep")) {
            stub(tool, "exec " + which(tool) + " \"$@\"");
        }
        stub("id", "[ \"$1\" = -u ] && echo 1000 || echo 'uid=1000(builder)'");
        stub("sudo", "echo \"sudo $*\" >> \"$CALLS\"; exec \"$@\"");
        stub("apt-get", "echo \"apt-get $*\" >> \"$CALLS\"");
        stub("rabbitmq-server", "echo \"rabbitmq-server $*\" >> \"$CALLS\"");
        stub("systemctl", "echo \"systemctl $*\" >> \"$CALLS\"");
        stub("mvn", "echo \"mvn $* in $(pwd)\" >> \"$CALLS\"; exit \"${MVN_EXIT:-0}\"");
    }

    @Test
    void theReadmeSaysBinTestAndCiRunsOnlyThat() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int open = readme.indexOf("```bash");
        List<String> firstBlock = readme.subList(open + 1, readme.subList(open + 1, readme.size()).indexOf("```") + open + 1);
        assertThat(firstBlock.stream().filter(l -> !l.isBlank() && !l.startsWith("#")))
                .containsExactly("mvn -B package -DskipTests && java -jar target/hms-sync.jar", "bin/test");
        assertThat(readme).noneMatch(line -> line.strip().equals("mvn -B verify"));

        List<String> ci = Files.readAllLines(Path.of(".ci", "run"));
        assertThat(ci.stream().filter(l -> !l.isBlank() && !l.startsWith("#")))
                .containsExactly("set -euo pipefail", "cd \"$(dirname \"$0\")/..\"", "exec bash bin/test");
    }

    @Test
    void onAMachineWithoutGnuCobolOrPromtoolItInstallsWhatIsMissingThroughSudoThenRunsMaven() throws Exception {
        assertThat(run(List.of("bin/test", "-Dit.test=Nothing", "-Dtest=NONE"), 0)).as("exit code").isZero();

        List<String> log = Files.readAllLines(calls);
        assertThat(log.stream().filter(l -> l.contains("apt-get update"))).containsExactly("sudo apt-get update -q", "apt-get update -q");
        int install = log.indexOf(log.stream().filter(l -> l.startsWith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q"))
                .findFirst().orElseThrow());
        assertThat(log.get(install)).contains("gnucobol3").as("promtool, for PrometheusRulesTest").endsWith(" prometheus");
        assertThat(install).isGreaterThan(log.indexOf("sudo apt-get update -q"));
        assertThat(log).as("the package's Prometheus server is not left running")
                .contains("sudo systemctl disable --now prometheus prometheus-node-exporter");
        assertThat(log).last().isEqualTo("mvn -B verify -Dit.test=Nothing -Dtest=NONE in " + Path.of("").toAbsolutePath());
        assertThat(log).as("HMS_TEST_RABBITMQ_URI is set: the machine's broker is left alone").noneMatch(l -> l.contains("rabbitmq-server"));
    }

    @Test
    void aFailingSuiteFailsBinTestAndCi() throws Exception {
        stub("cobc", "exit 0");
        assertThat(run(List.of("bin/test"), 1)).isEqualTo(1);
        assertThat(run(List.of("bash", ".ci/run"), 1)).isEqualTo(1);
        assertThat(Files.readAllLines(calls).stream().filter(l -> l.startsWith("mvn ")))
                .containsExactly("mvn -B verify in " + Path.of("").toAbsolutePath(), "mvn -B verify in " + Path.of("").toAbsolutePath());
    }

    private int run(List<String> command, int mvnExit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(stubs.resolve("output.log").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", stubs.toString());
        env.put("CALLS", calls.toString());
        env.put("MVN_EXIT", String.valueOf(mvnExit));
        env.put("HMS_TEST_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/");
        // and the cluster tests' database: bin/test leaves the machine's PostgreSQL alone too
        env.put("HMS_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return process.exitValue();
    }

    private void stub(String name, String body) throws Exception {
        Path file = stubs.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on the PATH");
    }
}
