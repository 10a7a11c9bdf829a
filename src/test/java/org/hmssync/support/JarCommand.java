package org.hmssync.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.hmssync.commands.HubCommands;

/** One of the jar's commands ({@code java -jar hms-sync.jar <command> ...}) run in-process: its exit code and what it printed. */
public record JarCommand(int exitCode, String out, String err) {

    public static JarCommand run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = HubCommands.run(args, o, e);
        }
        return new JarCommand(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Both streams, for an assertion's description. */
    public String printed() {
        return out + err;
    }
}
