package org.hmssync.commands;

import java.io.PrintStream;
import java.util.List;
import org.hmssync.config.ScratchHub;

/**
 * {@code validate}: the start-up checks, without starting anything that talks to the world. The
 * hub's configuration is built and every route file loaded and created (YAML, route ids, {@code from}
 * endpoints, {@code direct:} endpoints nobody consumes, jq and simple expressions compiled, property
 * placeholders resolved), on a throw-away data folder, no broker and a free port; no route starts.
 * Exit 0, or 1 with one line per problem.
 */
final class ValidateCommand implements HubCommand {

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
        ScratchHub.quietLog();
        try (ScratchHub hub = new ScratchHub()) {
            hub.start();
            out.println("valid: the route files and the configuration pass the start-up checks");
            return 0;
        } catch (Exception e) {
            ScratchHub.problems(e).forEach(err::println);
            return 1;
        }
    }
}
