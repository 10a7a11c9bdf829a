package org.hmssync.commands;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hmssync.ledger.ChainCheck;
import org.hmssync.ledger.Ed25519Keys;
import org.hmssync.ledger.LedgerHead;

/**
 * {@code verify-ledger [file] [--head SEQ:HASH]... [--public-key public.pem]}: checks the ledger's
 * hash chain. Exit 0 with the line count and the head; exit 1 naming the first line that does not
 * verify. A head kept elsewhere ({@code GET /ledger/head} saved earlier) catches a file cut short or
 * rewritten with every hash redone, which the chain alone cannot; the public key checks every
 * checkpoint's signature.
 */
final class VerifyLedgerCommand implements HubCommand {

    private static final Pattern HEAD = Pattern.compile("([1-9][0-9]{0,17}):([0-9a-f]{64})");

    @Override
    public String usage() {
        return "verify-ledger [file] [--head SEQ:HASH]... [--public-key public.pem]: checks ledger.jsonl's hash chain "
                + "(default $HMS_DATA_DIR/ledger.jsonl); exit 1 names the first line that does not verify";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Path file = null;
        PublicKey key = null;
        Map<Long, String> kept = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--head") || arg.equals("--public-key")) && i + 1 == args.size()) {
                err.println(arg + " needs a value; usage: " + usage());
                return 2;
            }
            if (arg.equals("--head")) {
                Matcher head = HEAD.matcher(args.get(++i));
                if (!head.matches()) {
                    err.println("--head takes SEQ:HASH (a seq and 64 lowercase hex digits), not '" + args.get(i) + "'");
                    return 2;
                }
                kept.put(Long.parseLong(head.group(1)), head.group(2));
            } else if (arg.equals("--public-key")) {
                key = Ed25519Keys.publicKey(Path.of(args.get(++i)));
            } else if (file == null && !arg.startsWith("--")) {
                file = Path.of(arg);
            } else {
                err.println("unexpected argument '" + arg + "'; usage: " + usage());
                return 2;
            }
        }
        file = file != null ? file : HubCommands.defaultLedger();
        if (!Files.isRegularFile(file)) {
            err.println("no ledger at " + file);
            return 2;
        }
        ChainCheck check = new ChainCheck(key, kept).read(file);
        if (check.firstBreak().isPresent()) {
            out.println(file + " does not verify: " + check.firstBreak().get());   // the verdict, like the one that verifies
            return 1;
        }
        LedgerHead head = check.head();
        out.println(file + " verifies: " + check.lines() + " lines, head seq " + head.seq() + " hash " + head.hash()
                + (head.time() == null ? "" : " (" + head.time() + ")"));
        out.println(check.checkpoints() + " checkpoints" + (key == null ? " (signatures not checked: no --public-key)" : ", each signature verified")
                + (kept.isEmpty() ? "" : "; the chain passes through every kept head"));
        for (long torn : check.torn()) {
            out.println("line " + torn + " is torn, not tampering: a write a crash cut short"
                    + (check.endsTorn() && torn == check.lines() ? " (the hub ends it with a newline at its next start)" : "")
                    + "; every reader skips it and the chain runs across it");
        }
        return 0;
    }
}
