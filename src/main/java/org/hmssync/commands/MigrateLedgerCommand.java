package org.hmssync.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hmssync.ledger.LedgerMigration;

/**
 * {@code migrate-ledger [file]}: a ledger written before tamper evidence gets a chained copy beside it
 * ({@code <file>.chained}); the old file is never rewritten. The operator puts the copy in place,
 * with the hub stopped, and keeps the old file.
 */
final class MigrateLedgerCommand implements HubCommand {

    @Override
    public String usage() {
        return "migrate-ledger [file]: writes <file>.chained, a hash-chained copy of a ledger written before tamper evidence "
                + "(default $HMS_DATA_DIR/ledger.jsonl); the file itself is left as it is";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.size() > 1 || args.stream().anyMatch(a -> a.startsWith("--"))) {
            err.println("usage: " + usage());
            return 2;
        }
        Path file = args.isEmpty() ? HubCommands.defaultLedger() : Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            err.println("no ledger at " + file);
            return 2;
        }
        Path chained = file.resolveSibling(file.getFileName() + ".chained");
        LedgerMigration.Result result;
        try {
            result = LedgerMigration.migrate(file, chained);
        } catch (IOException e) {
            err.println("not migrated: " + e.getMessage());
            return 1;
        }
        out.println("wrote " + chained + ": " + result.lines() + " lines of " + file + ", each with seq and hash; head seq "
                + result.head().seq() + " hash " + result.head().hash());
        for (long torn : result.tornLeftOut()) {
            out.println("left out line " + torn + ": torn (a write a crash cut short), not JSON");
        }
        out.println(file + " is unchanged. With the hub stopped, keep it and put the chained copy in its place:");
        out.println("  mv " + file + " " + file.resolveSibling(file.getFileName() + ".unchained") + " && mv " + chained + " " + file);
        out.println("The chain vouches for the ledger from now on, not for its history before this migration.");
        return 0;
    }
}
