package org.hmssync.commands;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands the jar runs instead of the hub ({@code java -jar target/hms-sync.jar <command>}).
 * A first argument that names none of them starts the hub as always (camel-main's own options).
 */
public final class HubCommands {

    private static final Map<String, HubCommand> COMMANDS = new LinkedHashMap<>();

    static {
        // each command registers here, in the order help lists them
        register("validate", new ValidateCommand());
        register("render", new RenderCommand());
        register("new-adapter", new NewAdapterCommand());
        register("verify-ledger", new VerifyLedgerCommand());
        register("migrate-ledger", new MigrateLedgerCommand());
        register("verify-proof", new VerifyProofCommand());
        register("export-ledger", new ExportLedgerCommand());
    }

    private HubCommands() {
    }

    static void register(String name, HubCommand command) {
        COMMANDS.put(name, command);
    }

    /** {@code $HMS_DATA_DIR/ledger.jsonl}, the data folder being {@code ./data} when it is unset (as for the hub). */
    static Path defaultLedger() {
        String data = System.getenv("HMS_DATA_DIR");
        return Path.of(data == null || data.isBlank() ? "./data" : data, "ledger.jsonl");
    }

    public static Optional<HubCommand> find(String name) {
        if ("help".equals(name)) {
            return Optional.of(HELP);
        }
        return Optional.ofNullable(COMMANDS.get(name));
    }

    /** Runs {@code args[0]} with the rest; the caller has checked that it names a command. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        HubCommand command = find(args[0]).orElseThrow();
        return command.run(List.of(args).subList(1, args.length), out, err);
    }

    private static final HubCommand HELP = new HubCommand() {
        @Override
        public String usage() {
            return "help: this list";
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err) {
            out.println("java -jar hms-sync.jar               starts the hub (configuration: CONTRACT.md section 8);");
            out.println("                                     --accept-broken-ledger starts it on a ledger whose hash chain does not verify");
            out.println("java -jar hms-sync.jar <command> ... runs one of these without starting it:");
            COMMANDS.forEach((name, command) -> out.println("  " + command.usage()));
            out.println("  " + usage());
            return 0;
        }
    };
}
