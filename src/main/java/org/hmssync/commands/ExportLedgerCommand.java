package org.hmssync.commands;

import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.hmssync.ledger.ChainCheck;
import org.hmssync.ledger.LedgerHead;

/**
 * {@code export-ledger [file] [--url jdbc:postgresql://...]}: cluster mode's ledger table as
 * {@code ledger.jsonl}, the lines in seq order exactly as written, so {@code verify-ledger} and
 * every tool that reads the file read it. The copy is checked as it is written; exit 1 when its
 * chain does not verify.
 */
final class ExportLedgerCommand implements HubCommand {

    @Override
    public String usage() {
        return "export-ledger [file] [--url jdbc:postgresql://...] [--force]: writes cluster mode's ledger table as JSONL "
                + "(default $HMS_DATA_DIR/ledger.jsonl, database $HMS_LEDGER_URL) and checks its chain; a file that holds another "
                + "ledger is kept unless --force";
    }

    /** The file begins with the table's first line: an export made before, which a newer one may replace. */
    private static boolean isEarlierExport(Path file, String url) throws Exception {
        String first;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            first = lines.findFirst().orElse("");
        }
        if (first.isEmpty()) {
            return true;
        }
        try (Connection db = DriverManager.getConnection(url);
             PreparedStatement select = db.prepareStatement("SELECT line FROM ledger_lines WHERE seq = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() && row.getString(1).equals(first);
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path file = null;
        String url = HubCommands.setting("hms.ledger.url").orElse(null);
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--force")) {
                force = true;
            } else if (arg.equals("--url") && i + 1 < args.size()) {
                url = args.get(++i);
            } else if (file == null && !arg.startsWith("--")) {
                file = Path.of(arg);
            } else {
                err.println("unexpected argument '" + arg + "'; usage: " + usage());
                return 2;
            }
        }
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            err.println("no ledger database: set HMS_LEDGER_URL or give --url jdbc:postgresql://...");
            return 2;
        }
        file = (file != null ? file : HubCommands.defaultLedger()).toAbsolutePath();
        if (Files.exists(file) && !force && !isEarlierExport(file, url)) {
            // another ledger (one a hub wrote before it joined a cluster, say): never replaced by accident
            err.println(file + " holds another ledger than this table's; name another file, or add --force to replace it");
            return 2;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".exporting");
        long lines = 0;
        try (Connection db = DriverManager.getConnection(url);
             BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            db.setAutoCommit(false);   // a cursor: millions of lines stream through, they do not fill memory
            db.setReadOnly(true);
            try (PreparedStatement select = db.prepareStatement("SELECT line FROM ledger_lines ORDER BY seq")) {
                select.setFetchSize(5_000);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        writer.write(rows.getString(1));
                        writer.write('\n');
                        lines++;
                    }
                }
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ChainCheck check = new ChainCheck().read(file);
        if (check.firstBreak().isPresent()) {
            out.println("exported " + lines + " lines to " + file + ", which do not verify: " + check.firstBreak().get());
            return 1;
        }
        LedgerHead head = check.head();
        out.println("exported " + lines + " lines to " + file + "; the chain verifies, head seq " + head.seq() + " hash " + head.hash());
        return 0;
    }
}
