import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a run's slow tail the hub's own pauses explain. Reads the run's trace (Bench.java:
 * id, publish and outcome in epoch microseconds) and the hub's safepoint log
 * ({@code -Xlog:safepoint:file=...:timemillis}: each line ends a stop-the-world pause and gives its
 * length), and prints how many of the events at or above the run's p99 were in flight during a
 * pause of 1 ms or more, and the p99 of the events that met no pause. When that p99 stays close to
 * the whole run's, the tail is not the collector's: it is waiting for a core.
 *   java bench/Tail.java --trace FILE --safepoints FILE
 */
public class Tail {
    static final String USAGE = "java bench/Tail.java --trace FILE --safepoints FILE";

    /** A stop-the-world pause, in epoch microseconds. */
    record Pause(long startUs, long endUs, long lengthUs) {
        /** The log's end time is to the millisecond: a millisecond either side counts as overlapping. */
        boolean overlaps(long fromUs, long toUs) {
            return startUs - 1000 <= toUs && endUs + 1000 >= fromUs;
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ms\\].*Safepoint \"(\\w+)\".*Total: (\\d+) ns");

    public static void main(String[] a) throws Exception {
        Map<String, List<String>> o = options(a, List.of("trace", "safepoints"), List.of());
        List<Pause> pauses = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(o.get("safepoints").get(0)))) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                long endUs = Long.parseLong(m.group(1)) * 1000;
                long lengthUs = Long.parseLong(m.group(3)) / 1000;
                if (lengthUs >= 1000) {
                    pauses.add(new Pause(endUs - lengthUs, endUs, lengthUs));
                }
            }
        }
        List<long[]> events = new ArrayList<>();   // {latency, publish, outcome}
        for (String line : Files.readAllLines(Path.of(o.get("trace").get(0)))) {
            String[] p = line.split(" ");
            long published = Long.parseLong(p[1]);
            long outcome = Long.parseLong(p[2]);
            events.add(new long[] {outcome - published, published, outcome});
        }
        if (events.isEmpty()) {
            System.out.println("tail: no events");
            return;
        }
        long first = events.stream().mapToLong(e -> e[1]).min().orElseThrow();
        long last = events.stream().mapToLong(e -> e[2]).max().orElseThrow();
        List<Pause> during = pauses.stream().filter(p -> p.overlaps(first, last)).toList();
        long[] all = events.stream().mapToLong(e -> e[0]).sorted().toArray();
        long p99 = all[(int) (all.length * 0.99)];
        int slow = 0;
        int slowInPause = 0;
        List<Long> clear = new ArrayList<>();
        for (long[] e : events) {
            boolean hit = during.stream().anyMatch(p -> p.overlaps(e[1], e[2]));
            if (e[0] >= p99) {
                slow++;
                slowInPause += hit ? 1 : 0;
            }
            if (!hit) {
                clear.add(e[0]);
            }
        }
        long[] unpaused = clear.stream().mapToLong(Long::longValue).sorted().toArray();
        long longest = during.stream().mapToLong(Pause::lengthUs).max().orElse(0);
        System.out.printf("pauses_over_1ms=%d longest_pause_ms=%.1f slowest_1pct=%d of_them_during_a_pause=%d p99_ms=%.1f p99_without_paused_events_ms=%.1f%n",
                during.size(), longest / 1000.0, slow, slowInPause, p99 / 1000.0,
                unpaused.length == 0 ? 0.0 : unpaused[Math.min(unpaused.length - 1, (int) (unpaused.length * 0.99))] / 1000.0);
    }

    static Map<String, List<String>> options(String[] args, List<String> names, List<String> repeated) {
        return BenchOptions.parse(USAGE, args, names, repeated);
    }

    static void usage(String problem) {
        BenchOptions.usage(USAGE, problem);
    }
}
