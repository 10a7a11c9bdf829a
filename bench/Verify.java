import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A benchmark run counts only if nothing was lost or doubled: every event committed exactly once on
 * each REST stand-in (from nginx's log of Idempotency-Keys), once in the ledger, and once in the
 * mainframe files, to the cent.  java Verify.java <bench dir> <mode> <amounts file>...
 */
public class Verify {
    public static void main(String[] a) throws Exception {
        Path work = Path.of(a[0]);
        Map<String, BigDecimal> amounts = new HashMap<>();
        for (int i = 2; i < a.length; i++) {
            for (String line : Files.readAllLines(Path.of(a[i]))) {
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
}
