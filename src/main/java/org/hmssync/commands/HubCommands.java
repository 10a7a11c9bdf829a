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
        return Path.of(setting("hms.data-dir").orElse("./data"), "ledger.jsonl");
    }

    /**
     * A setting where the hub would find it: its variable in the environment ({@code HMS_DATA_DIR}
     * for {@code hms.data-dir}), else the operator's file ({@code HMS_CONFIG}, by key or variable).
     * The jar's defaults stay the caller's.
     */
    static Optional<String> setting(String key) {
        String set = System.getenv(org.hmssync.settings.HubSettings.environmentName(key));
        if (set != null && !set.isBlank()) {
            return Optional.of(set);
        }
        org.hmssync.settings.OperatorFile file;
        try {
            file = org.hmssync.settings.OperatorFile.load(System.getenv("HMS_CONFIG"), org.hmssync.settings.OperatorFile.jarDefaults(),
                    System::getenv);
        } catch (IllegalArgumentException unreadable) {
            throw new Refused(unreadable.getMessage());
        }
        return Optional.ofNullable(file.getProperty(key)).filter(v -> !v.isBlank());
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
        try {
            return command.run(List.of(args).subList(1, args.length), out, err);
        } catch (Refused refused) {
            err.println(args[0] + ": " + refused.getMessage());
            return 2;
        }
    }

    /** The configuration a command needs cannot be read (HMS_CONFIG names a missing file): said in one line, exit 2. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
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
