package org.hmssync.commands;

import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.main.Main;
import org.hmssync.HmsSyncApplication;
import org.hmssync.config.StartRefusedException;

/**
 * {@code validate}: the start-up checks, without starting anything that talks to the world. The
 * hub's configuration is built and every route file loaded and created (YAML, route ids, {@code from}
 * endpoints, {@code direct:} endpoints nobody consumes, jq and simple expressions compiled, property
 * placeholders resolved), on a throw-away data folder, no broker and a free port; no route starts.
 * Exit 0, or 1 with one line per problem.
 */
final class ValidateCommand implements HubCommand {

    private static final int MAX_LINES = 20;

    @Override
    public String usage() {
        return "validate: check the route files and the configuration as start-up does, without starting the hub";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty()) {
            err.println("usage: java -jar hms-sync.jar " + usage());
            return 2;
        }
        // the hub's start-up lines are not this command's answer: warnings and errors only
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        Path scratch = Files.createTempDirectory("hms-validate");
        Main main;
        try {
            main = HmsSyncApplication.create();
        } catch (StartRefusedException refused) {
            err.println(refused.getMessage());
            return 1;
        }
        main.addOverrideProperty("hms.data-dir", scratch.toString());
        main.addOverrideProperty("hms.rabbitmq.uri", "");
        main.addOverrideProperty("hms.http.port", String.valueOf(freePort()));
        main.addOverrideProperty("hms.http.host", "127.0.0.1");
        main.addOverrideProperty("camel.main.auto-startup", "false");
        try {
            main.start();
            out.println("valid: the route files and the configuration pass the start-up checks");
            return 0;
        } catch (Exception e) {
            problems(e).forEach(err::println);
            return 1;
        } finally {
            try {
                main.stop();
            } catch (Exception ignored) {
                // nothing ran; what could not stop holds nothing
            }
            deleteQuietly(scratch);
        }
    }

    /** The causes' messages, most specific last, each once: a refusal's lines as they are, no stack traces. */
    static List<String> problems(Throwable failure) {
        Set<String> lines = new LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartRefusedException) {
                lines.clear();
                lines.addAll(List.of(t.getMessage().split("\n")));
                break;
            }
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                lines.add(message.strip().lines().limit(3).reduce((a, b) -> a + " " + b.strip()).orElse(message));
            }
        }
        List<String> list = new ArrayList<>(lines);
        java.util.regex.Matcher unset = java.util.regex.Pattern.compile("key \\[hms\\.adapter\\.([a-z0-9-]+)\\.([a-z0-9.-]+)\\] not found")
                .matcher(String.join(" ", list));
        if (unset.find()) {
            String name = unset.group(1);
            list.add("routes/adapters/" + name + ".camel.yaml: hms.adapter." + name + "." + unset.group(2) + " is not set: set "
                    + "HMS_ADAPTER_" + (name + "_" + unset.group(2)).toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_")
                    + " in the environment, or the key in config/application.properties");
        }
        return list.size() <= MAX_LINES ? list : list.subList(list.size() - MAX_LINES, list.size());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary folder; the system cleans it
        }
    }
}
