package org.hmssync.config;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import org.hmssync.HmsSyncApplication;

/**
 * The hub's configuration and route files, built as start-up builds them but touching nothing of the
 * world: a throw-away data folder, no broker, a free port, no route started. For the commands that
 * check or exercise the adapters (validate, render, a reload's check).
 */
public final class ScratchHub implements AutoCloseable {

    private final Path data;
    private final Main main;

    /** Throws {@link org.hmssync.config.StartRefusedException} when the configuration is refused before anything is built. */
    public ScratchHub() throws Exception {
        this(null);
    }

    /** {@code routesLocation}: the route files to build ({@code file:...}), null for where the hub would read them. */
    public ScratchHub(String routesLocation) throws Exception {
        data = Files.createTempDirectory("hms-scratch");
        try {
            main = HmsSyncApplication.create();
        } catch (RuntimeException refused) {
            delete(data);
            throw refused;
        }
        main.addOverrideProperty("hms.data-dir", data.toString());
        main.addOverrideProperty("hms.rabbitmq.uri", "");
        main.addOverrideProperty("hms.http.port", String.valueOf(freePort()));
        main.addOverrideProperty("hms.http.host", "127.0.0.1");
        main.addOverrideProperty("camel.main.auto-startup", "false");
        main.addOverrideProperty("hms.routes.reload", "false");   // a check, not a hub: no reloader of its own
        if (routesLocation != null) {
            main.addOverrideProperty("hms.routes-location", routesLocation);
        }
    }

    /** Builds the context and creates every route (expressions compiled, settings resolved); none starts. */
    public Main start() throws Exception {
        main.start();
        return main;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception ignored) {
            // nothing ran; what could not stop holds nothing
        }
        delete(data);
    }

    /** For a command: the hub's start-up lines are not its answer, warnings and errors only. */
    public static void quietLog() {
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
    }

    /** A failure to build, as lines a person reads: a refusal's lines as they are, else the causes' messages, no stack traces. */
    public static java.util.List<String> problems(Throwable failure) {
        java.util.Set<String> lines = new java.util.LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartRefusedException) {
                lines.clear();
                lines.addAll(java.util.List.of(t.getMessage().split("\n")));
                break;
            }
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                lines.add(message.strip().lines().limit(3).reduce((a, b) -> a + " " + b.strip()).orElse(message));
            }
        }
        java.util.List<String> list = new java.util.ArrayList<>(lines);
        return list.size() <= 20 ? list : list.subList(list.size() - 20, list.size());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary folder; the system cleans it
        }
    }
}
