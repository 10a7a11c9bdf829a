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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A benchmark run counts only if nothing was lost or doubled: every event committed exactly once on
 * each REST stand-in (from nginx's log of Idempotency-Keys), once in the ledger, and once in the
 * mainframe files, to the cent. The ledger (data/ledger.jsonl) is read as JSON, one object a line:
 * a hub commit line is {"system":"hub","action":"commit","result":"success","event_id":...} whatever
 * other members it has (seq and hash, the hash chain's); lines of other shapes are passed over (the hub's
 * checkpoint lines, event_id ".checkpoint", action "checkpoint", name no event), lines that are not JSON are counted
 * (ledger_lines_not_json, shown when there are any), and a torn last line is skipped.
 *   java -cp target/classes:target/lib/* bench/Verify.java --work DIR --amounts FILE [--amounts FILE ...] [--batch-amounts FILE ...]
 * DIR is the bench folder (nginx/, data/); each amounts file is a run's "id amount" lines (Bench.java).
 *
 * With --batch-amounts (the runs whose events all carried one batch_id, then undone with the batch's
 * rollback token), those events must also have been undone exactly once everywhere, and only they:
 * - each REST stand-in got exactly one reversal ({url}/reversal) with the event's Idempotency-Key
 *   after its commit, answered 200; no other event got any after its commit (a reversal before the
 *   commit releases the prepare of a try that was given up, a no vote elsewhere or a hold: counted as
 *   prepares_released, allowed for any event);
 * - the ledger shows one hub decision abort after the event's commit and ends rolled_back (its last
 *   hub commit/rollback line is a rollback success);
 * - the mainframe nets the batch to zero: each event's file was withdrawn (withdrawn/<id>.dat holds its
 *   D record, and no <id>.dat is left in outbox/ or sent/) or what the mainframe received holds its D
 *   record once and one matching R record of the negated amount; the batch's D cents minus its R cents
 *   (R records carry the negated amount, so: their signed sum) are 0.
 * It also prints batch_last_rolled_back_at, the time of the batch's last hub rollback line: where the
 * ledger says the undo was done (run.sh times the undo from its requested_at to it).
 * What the mainframe received: the .dat files in outbox/ and sent/ (the same file once). The counts
 * mainframe_records_once and expected_cents are then of the events outside the batch.
 */
public class Verify {
    static final String USAGE = "java -cp target/classes:target/lib/* bench/Verify.java --work DIR --amounts FILE [--amounts FILE ...] [--batch-amounts FILE ...]";

    public static void main(String[] a) throws Exception {
        Map<String, List<String>> o = options(a, List.of("work"), List.of("amounts"), List.of("batch-amounts"));
        Path work = Path.of(o.get("work").get(0));
        Map<String, BigDecimal> amounts = new HashMap<>();
        for (String file : o.get("amounts")) {
            read(Path.of(file), amounts);
        }
        // the batch's events (counted among all events too)
        Map<String, BigDecimal> batch = new HashMap<>();
        for (String file : o.getOrDefault("batch-amounts", List.of())) {
            read(Path.of(file), batch);
        }
        amounts.putAll(batch);
        boolean batchRun = o.containsKey("batch-amounts");
        StringBuilder out = new StringBuilder("events=" + amounts.size());
        StringBuilder batchOut = new StringBuilder();
        boolean ok = true;
        // per batch event, the parts of its undo that check out (the 2 REST stand-ins, the ledger, the mainframe)
        List<String> parts = List.of("debit-vendor", "dashboard", "ledger", "mainframe");
        Map<String, List<String>> undoneParts = new HashMap<>();
        for (String system : List.of("debit-vendor", "dashboard")) {
            String base = system.equals("debit-vendor") ? "/vendor" : "/dashboard";
            Map<String, Integer> commits = new HashMap<>();
            Map<String, Integer> reversalsOf = new HashMap<>();
            Map<String, Integer> reversalsAnswered = new HashMap<>();
            int reversals = 0;
            int preparesReleased = 0;
            for (String line : Files.readAllLines(work.resolve("nginx/" + system + ".log"))) {
                String[] p = line.split(" ");
                if (p[0].equals(base) && p[2].equals("200")) {
                    commits.merge(p[1], 1, Integer::sum);
                } else if (p[0].equals(base + "/reversal") && !commits.containsKey(p[1])) {
                    // before the event's commit: the release of a prepare the attempt gave up (a no vote
                    // elsewhere, or a hold), which every event may get; only a reversal after it undoes
                    preparesReleased++;
                } else if (p[0].equals(base + "/reversal")) {
                    reversals++;
                    reversalsOf.merge(p[1], 1, Integer::sum);
                    if (p.length > 2 && p[2].equals("200")) {
                        reversalsAnswered.merge(p[1], 1, Integer::sum);
                    }
                }
            }
            long once = amounts.keySet().stream().filter(id -> commits.getOrDefault(id, 0) == 1).count();
            // reversals of anything outside the batch (any other event, or a key no event has)
            long outside = reversalsOf.entrySet().stream().filter(e -> !batch.containsKey(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            if (batchRun) {
                reversalsOf.keySet().stream().filter(id -> !batch.containsKey(id)).sorted().limit(10)
                        .forEach(id -> System.err.println("reversal outside the batch: " + id + " on " + system));
            }
            List<String> reversedOnce = batch.keySet().stream()
                    .filter(id -> reversalsOf.getOrDefault(id, 0) == 1 && reversalsAnswered.getOrDefault(id, 0) == 1).toList();
            reversedOnce.forEach(id -> undoneParts.computeIfAbsent(id, k -> new ArrayList<>()).add(system));
            ok &= once == amounts.size() && commits.size() == amounts.size() && outside == 0 && reversedOnce.size() == batch.size();
            out.append(' ').append(system).append("_committed_once=").append(once).append(' ').append(system).append("_reversals=").append(reversals);
            if (preparesReleased > 0) {
                out.append(' ').append(system).append("_prepares_released=").append(preparesReleased);
            }
            batchOut.append(" batch_").append(system).append("_reversed_once=").append(reversedOnce.size());
        }
        Map<String, Integer> ledger = new HashMap<>();
        // batch events: their hub decision abort lines, and their last hub commit/rollback line
        Map<String, Integer> aborts = new HashMap<>();
        Map<String, String> lastOutcome = new HashMap<>();
        Instant lastRolledBack = null;
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
                } else if ("hub".equals(l.path("system").textValue()) && l.path("event_id").isTextual()) {
                    String id = l.path("event_id").textValue(), action = l.path("action").textValue(), result = l.path("result").textValue();
                    if ("commit".equals(action) && "success".equals(result)) {
                        ledger.merge(id, 1, Integer::sum);
                    }
                    if (batch.containsKey(id)) {
                        // an abort before the commit ended a try that never committed (a hold); the undo is the one after it
                        if ("decision".equals(action) && "abort".equals(result) && ledger.containsKey(id)) {
                            aborts.merge(id, 1, Integer::sum);
                        }
                        if ("commit".equals(action) || "rollback".equals(action) || "replay".equals(action)) {
                            lastOutcome.put(id, action + " " + result);   // what the event's status folds to
                        }
                        if ("rollback".equals(action) && "success".equals(result) && l.path("time").isTextual()) {
                            Instant at = Instant.parse(l.path("time").textValue());
                            lastRolledBack = lastRolledBack == null || at.isAfter(lastRolledBack) ? at : lastRolledBack;
                        }
                    }
                }
            }
        }
        long ledgerOnce = amounts.keySet().stream().filter(id -> ledger.getOrDefault(id, 0) == 1).count();
        ok &= ledgerOnce == amounts.size();
        out.append(" ledger_committed_once=").append(ledgerOnce);
        List<String> ledgerUndone = batch.keySet().stream()
                .filter(id -> aborts.getOrDefault(id, 0) == 1 && "rollback success".equals(lastOutcome.get(id))).toList();
        ledgerUndone.forEach(id -> undoneParts.computeIfAbsent(id, k -> new ArrayList<>()).add("ledger"));
        ok &= ledgerUndone.size() == batch.size();
        batchOut.append(" batch_ledger_undone_once=").append(ledgerUndone.size());
        if (notJson > 0) {
            out.append(" ledger_lines_not_json=").append(notJson);
        }
        if (tornTail) {
            out.append(" ledger_torn_last_line=1");
        }
        Path mainframe = work.resolve("data/mainframe");
        Map<String, Long> records = new HashMap<>();
        // batch events' records in what the mainframe received: D and R cents, one entry a record
        Map<String, List<Long>> adjusted = new HashMap<>();
        Map<String, List<Long>> reversed = new HashMap<>();
        long cents = 0;
        // what the mainframe received: the outbox's files, and those the batch took (only sent/ remembers them)
        Map<String, Path> received = new TreeMap<>();
        for (String folder : List.of("sent", "outbox")) {
            if (Files.isDirectory(mainframe.resolve(folder))) {
                try (Stream<Path> files = Files.list(mainframe.resolve(folder))) {
                    files.filter(f -> f.toString().endsWith(".dat")).forEach(f -> received.put(f.getFileName().toString(), f));
                }
            }
        }
        for (Path f : received.values()) {
            if (f.getParent().endsWith("outbox")) {
                ok &= Files.exists(Path.of(f + ".done"));
            }
            for (String r : Files.readAllLines(f)) {
                if (r.startsWith("D") || r.startsWith("R")) {
                    long c = Long.parseLong(r.substring(59, 71).replace("+", ""));
                    String id = r.substring(1, 41).trim();
                    cents += c;
                    if (batch.containsKey(id)) {
                        (r.startsWith("D") ? adjusted : reversed).computeIfAbsent(id, k -> new ArrayList<>()).add(c);
                    } else {
                        records.merge(id, 1L, Long::sum);
                    }
                }
            }
        }
        long expected = amounts.entrySet().stream().filter(e -> !batch.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue().movePointRight(2).longValueExact()).sum();
        long recordsOnce = amounts.keySet().stream().filter(id -> !batch.containsKey(id) && records.getOrDefault(id, 0L) == 1).count();
        ok &= recordsOnce == amounts.size() - batch.size() && cents == expected;
        out.append(" mainframe_records_once=").append(recordsOnce).append(" mainframe_cents=").append(cents).append(" expected_cents=").append(expected);
        if (batchRun) {
            int withdrawn = 0, reversedOnce = 0;
            long batchAdjusted = 0, batchReversed = 0;
            for (Map.Entry<String, BigDecimal> e : batch.entrySet()) {
                String id = e.getKey();
                long amount = e.getValue().movePointRight(2).longValueExact();
                List<Long> d = adjusted.getOrDefault(id, List.of()), r = reversed.getOrDefault(id, List.of());
                batchAdjusted += d.stream().mapToLong(Long::longValue).sum();
                batchReversed += r.stream().mapToLong(Long::longValue).sum();
                boolean gone = d.isEmpty() && r.isEmpty() && !Files.exists(mainframe.resolve("outbox/" + id + ".dat"))
                        && !Files.exists(mainframe.resolve("sent/" + id + ".dat")) && holdsAdjustment(mainframe.resolve("withdrawn/" + id + ".dat"), id, amount);
                boolean reversal = d.equals(List.of(amount)) && r.equals(List.of(-amount));
                withdrawn += gone ? 1 : 0;
                reversedOnce += reversal ? 1 : 0;
                if (gone || reversal) {
                    undoneParts.computeIfAbsent(id, k -> new ArrayList<>()).add("mainframe");
                }
            }
            long net = batchAdjusted + batchReversed;
            ok &= withdrawn + reversedOnce == batch.size() && net == 0;
            List<String> notUndone = batch.keySet().stream().sorted()
                    .filter(id -> undoneParts.getOrDefault(id, List.of()).size() != parts.size()).toList();
            long undoneOnce = batch.size() - notUndone.size();
            // which events, and where (stdout keeps the one line run.sh reads)
            notUndone.stream().limit(10).forEach(id -> System.err.println("not undone exactly once: " + id + " on "
                    + parts.stream().filter(part -> !undoneParts.getOrDefault(id, List.of()).contains(part)).toList()));
            batchOut.append(" batch_mainframe_withdrawn=").append(withdrawn).append(" batch_mainframe_reversed=").append(reversedOnce)
                    .append(" batch_mainframe_d_cents=").append(batchAdjusted).append(" batch_mainframe_r_cents=").append(-batchReversed)
                    .append(" batch_mainframe_net_cents=").append(net).append(" batch_last_rolled_back_at=").append(lastRolledBack);
            out.append(" batch_events=").append(batch.size()).append(" batch_undone_once=").append(undoneOnce).append(batchOut);
            ok &= undoneOnce == batch.size();
        }
        System.out.println(out.append(ok ? " OK" : " FAILED"));
        if (!ok) {
            System.exit(1);
        }
    }

    private static void read(Path file, Map<String, BigDecimal> into) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] p = line.split(" ");
            into.put(p[0], new BigDecimal(p[1]));
        }
    }

    /** Whether a withdrawn file holds the event's D record of that many cents. */
    private static boolean holdsAdjustment(Path file, String id, long amount) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        return Files.readAllLines(file).stream().filter(r -> r.startsWith("D") && r.length() >= 71)
                .anyMatch(r -> r.substring(1, 41).trim().equals(id) && Long.parseLong(r.substring(59, 71).replace("+", "")) == amount);
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

    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated, List<String> optional) {
        return BenchOptions.parse(USAGE, args, names, repeated, optional);
    }

    static void usage(String problem) {
        BenchOptions.usage(USAGE, problem);
    }
}
