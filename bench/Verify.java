import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A benchmark run counts only if nothing was lost or doubled: every event committed exactly once on
 * each REST stand-in (from nginx's log of Idempotency-Keys), once in the ledger, and once in the
 * mainframe files, to the cent.
 *   java -cp target/classes:target/lib/* bench/Verify.java --work DIR --amounts FILE [--amounts FILE ...]
 * DIR is the bench folder (nginx/, data/); each amounts file is a run's "id amount" lines (Bench.java).
 */
public class Verify {
    static final String USAGE = "java -cp target/classes:target/lib/* bench/Verify.java --work DIR --amounts FILE [--amounts FILE ...]";

    public static void main(String[] a) throws Exception {
        Map<String, List<String>> o = options(a, List.of("work"), List.of("amounts"));
        Path work = Path.of(o.get("work").get(0));
        Map<String, BigDecimal> amounts = new HashMap<>();
        for (String file : o.get("amounts")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] p = line.split(" ");
                amounts.put(p[0], new BigDecimal(p[1]));
            }
        }
        StringBuilder out = new StringBuilder("events=" + amounts.size());
        boolean ok = true;
        for (String system : List.of("debit-vendor", "dashboard")) {
            String base = system.equals("debit-vendor") ? "/vendor" : "/dashboard";
            Map<String, Integer> commits = new HashMap<>();
            int reversals = 0;
            for (String line : Files.readAllLines(work.resolve("nginx/" + system + ".log"))) {
                String[] p = line.split(" ");
                if (p[0].equals(base) && p[2].equals("200")) {
                    commits.merge(p[1], 1, Integer::sum);
                } else if (p[0].equals(base + "/reversal")) {
                    reversals++;
                }
            }
            long once = amounts.keySet().stream().filter(id -> commits.getOrDefault(id, 0) == 1).count();
            ok &= once == amounts.size() && commits.size() == amounts.size() && reversals == 0;
            out.append(' ').append(system).append("_committed_once=").append(once).append(' ').append(system).append("_reversals=").append(reversals);
        }
        Map<String, Integer> ledger = new HashMap<>();
        for (String line : Files.readAllLines(work.resolve("data/ledger.jsonl"))) {
            if (line.contains("\"system\":\"hub\",\"action\":\"commit\",\"result\":\"success\"")) {
                int at = line.indexOf("\"event_id\":\"") + 12;
                ledger.merge(line.substring(at, line.indexOf('"', at)), 1, Integer::sum);
            }
        }
        long ledgerOnce = amounts.keySet().stream().filter(id -> ledger.getOrDefault(id, 0) == 1).count();
        ok &= ledgerOnce == amounts.size();
        out.append(" ledger_committed_once=").append(ledgerOnce);
        Map<String, Long> records = new HashMap<>();
        long cents = 0;
        try (Stream<Path> files = Files.list(work.resolve("data/mainframe/outbox"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".dat")).toList()) {
                ok &= Files.exists(Path.of(f + ".done"));
                for (String r : Files.readAllLines(f)) {
                    if (r.startsWith("D") || r.startsWith("R")) {
                        long c = Long.parseLong(r.substring(59, 71).replace("+", ""));
                        cents += c;
                        records.merge(r.substring(1, 41).trim(), 1L, Long::sum);
                    }
                }
            }
        }
        long expected = amounts.values().stream().map(v -> v.movePointRight(2).longValueExact()).mapToLong(Long::longValue).sum();
        long recordsOnce = amounts.keySet().stream().filter(id -> records.getOrDefault(id, 0L) == 1).count();
        ok &= recordsOnce == amounts.size() && cents == expected;
        out.append(" mainframe_records_once=").append(recordsOnce).append(" mainframe_cents=").append(cents).append(" expected_cents=").append(expected);
        System.out.println(out.append(ok ? " OK" : " FAILED"));
        if (!ok) {
            System.exit(1);
        }
    }

    /**
     * {@code --name value} options, each of {@code names} exactly once ({@code repeated} ones at
     * least once). Anything else ends the program with a one-line usage message. (The same lines
     * are in each bench program: each runs as a single source file, without the others.)
     */
    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated) {
        Map<String, List<String>> found = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("help")) {
                System.out.println("usage: " + USAGE);
                System.exit(0);
            }
            if (!names.contains(name) && !repeated.contains(name)) {
                usage("unknown option " + args[i]);
            }
            if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                usage(args[i] + " needs a value");
            }
            List<String> values = found.computeIfAbsent(name, n -> new ArrayList<>());
            if (names.contains(name) && !values.isEmpty()) {
                usage(args[i] + " given twice");
            }
            values.add(args[i + 1]);
        }
        for (List<String> required : List.of(names, repeated)) {
            for (String name : required) {
                if (!found.containsKey(name)) {
                    usage("missing --" + name);
                }
            }
        }
        return found;
    }

    static void usage(String problem) {
        System.err.println(problem + "; usage: " + USAGE);
        System.exit(2);
    }
}
