package org.hmssync.commands;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
        try (ScratchHub hub = new ScratchHub()) {
            hub.start();
            out.println("valid: the route files and the configuration pass the start-up checks");
            return 0;
        } catch (Exception e) {
            problems(e).forEach(err::println);
            return 1;
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
        return list.size() <= MAX_LINES ? list : list.subList(list.size() - MAX_LINES, list.size());
    }
}
