package org.hmssync.commands;

import java.io.PrintStream;
import java.util.List;

/** One command of {@code java -jar hms-sync.jar <command> ...}: it runs without starting the hub and returns the exit code. */
public interface HubCommand {

    /** What {@code help} prints for it: its arguments and one line on what it does. */
    String usage();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
