package org.hmssync.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub as a separate process, started from the built jar ({@code java -jar target/hms-sync.jar})
 * the way an operator starts it, so a test can kill it with SIGKILL or stop it with SIGTERM.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HubProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar with these properties (as -D, which override application.properties). */
    public static HubProcess start(Path dataDir, int port, Map<String, String> properties) throws Exception {
        return start(dataDir, port, properties, List.of(), Map.of());
    }

    /** The same, with arguments after the jar (as an operator adds {@code --accept-broken-ledger}). */
    public static HubProcess start(Path dataDir, int port, Map<String, String> properties, List<String> args) throws Exception {
        return start(dataDir, port, properties, args, Map.of());
    }

    /** ... and these environment variables, as an operator sets them. */
    public static HubProcess start(Path dataDir, int port, Map<String, String> properties, Map<String, String> env) throws Exception {
        return start(dataDir, port, properties, List.of(), env);
    }

    /** Arguments after the jar and environment variables both. */
    public static HubProcess start(Path dataDir, int port, Map<String, String> properties, List<String> args, Map<String, String> env)
            throws Exception {
        Path jar = Path.of("target", "hms-sync.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/hms-sync.jar is missing: run the tests with mvn verify");
        }
        Map<String, String> props = new LinkedHashMap<>(RunningHub.testDefaults());
        props.put("hms.http.port", String.valueOf(port));
        props.put("hms.data-dir", dataDir.toString());
        props.putAll(properties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Files.createDirectories(dataDir);
        Path log = Files.createDirectories(Path.of("target", "hub-logs")).resolve("hub-" + System.currentTimeMillis() + "-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        HubProcess hub = new HubProcess(process, port, log);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited at start: " + Files.readString(log));
            }
            return hub.answers();
        });
        return hub;
    }

    /** The management endpoints answer before the REST routes are added: wait for one of those. */
    private boolean answers() {
        try {
            return get("/dlq").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs {@code java -jar target/hms-sync.jar <args>} to its end: its exit code and what it printed. */
    public static Result command(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(Path.of("target", "hms-sync.jar").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(".")).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("java -jar hms-sync.jar " + String.join(" ", args) + " did not end within 120 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) { }

    public int port() {
        return port;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the hub did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    public String log() throws Exception {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
    }
}
