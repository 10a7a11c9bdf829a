import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A benchmark run counts only if nothing was lost or doubled: every event committed exactly once on
 * each REST stand-in (from nginx's log of Idempotency-Keys), once in the ledger, and once in the
 * mainframe files, to the cent. The ledger (data/ledger.jsonl) is read as JSON, one object a line:
 * a hub commit line is {"system":"hub","action":"commit","result":"success","event_id":...} whatever
 * other members it has; lines of other shapes are passed over, lines that are not JSON are counted
 * (ledger_lines_not_json, shown when there are any), and a torn last line is skipped.
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
        Path ledgerFile = work.resolve("data/ledger.jsonl");
        boolean tornTail = endsTorn(ledgerFile);
        long notJson = 0;
        try (BufferedReader in = Files.newBufferedReader(ledgerFile)) {
            for (String line = in.readLine(), next; line != null; line = next) {
                next = in.readLine();
                if (next == null && tornTail) {
                    break;   // a last line without its newline: cut short by a crash, skipped as the hub's own readers do
                }
                JsonNode l = json(line);
                if (l == null) {
                    notJson++;
                } else if ("hub".equals(l.path("system").textValue()) && "commit".equals(l.path("action").textValue())
                        && "success".equals(l.path("result").textValue()) && l.path("event_id").isTextual()) {
                    ledger.merge(l.path("event_id").textValue(), 1, Integer::sum);
                }
            }
        }
        long ledgerOnce = amounts.keySet().stream().filter(id -> ledger.getOrDefault(id, 0) == 1).count();
        ok &= ledgerOnce == amounts.size();
        out.append(" ledger_committed_once=").append(ledgerOnce);
        if (notJson > 0) {
            out.append(" ledger_lines_not_json=").append(notJson);
        }
        if (tornTail) {
            out.append(" ledger_torn_last_line=1");
        }
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

    /** Ledger lines are read as JSON; members other than the ones counted here are not looked at. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One ledger line as JSON, or null if it is not JSON (lines of other shapes are JSON too). */
    static JsonNode json(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether the file's last line has no newline: the hub was stopped while writing it. */
    static boolean endsTorn(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) != '\n';
        }
    }

    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated) {
        return BenchOptions.parse(USAGE, args, names, repeated);
    }

    static void usage(String problem) {
        BenchOptions.usage(USAGE, problem);
    }
}
