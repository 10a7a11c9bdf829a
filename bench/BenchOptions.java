import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench programs' {@code --name value} options: each of {@code names} exactly once, each of
 * {@code repeated} at least once, each of {@code optional} any number of times (absent from the map
 * when not given); {@code --help} prints the usage, anything else ends the program with a one-line
 * usage message. Compiled by run.sh onto the programs' class path.
 */
public final class BenchOptions {

    private BenchOptions() {
    }

    public static Map<String, List<String>> parse(String usage, String[] args, List<String> names, List<String> repeated) {
        return parse(usage, args, names, repeated, List.of());
    }

    public static Map<String, List<String>> parse(String usage, String[] args, List<String> names, List<String> repeated,
                                                  List<String> optional) {
        Map<String, List<String>> found = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("help")) {
                System.out.println("usage: " + usage);
                System.exit(0);
            }
            if (!names.contains(name) && !repeated.contains(name) && !optional.contains(name)) {
                usage(usage, "unknown option " + args[i]);
            }
            if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                usage(usage, args[i] + " needs a value");
            }
            List<String> values = found.computeIfAbsent(name, n -> new ArrayList<>());
            if (names.contains(name) && !values.isEmpty()) {
                usage(usage, args[i] + " given twice");
            }
            values.add(args[i + 1]);
        }
        for (List<String> required : List.of(names, repeated)) {
            for (String name : required) {
                if (!found.containsKey(name)) {
                    usage(usage, "missing --" + name);
                }
            }
        }
        return found;
    }

    public static void usage(String usage, String problem) {
        System.err.println(problem + "; usage: " + usage);
        System.exit(2);
    }
}
