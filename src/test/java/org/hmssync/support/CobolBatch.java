package org.hmssync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mainframe batch, played by {@code src/test/cobol/SYNCBATCH.cbl} compiled with GnuCOBOL's
 * {@code cobc} against {@code routes/mainframe/SYNCREC.cpy}. No cobc, no test: it fails, never skips.
 */
public final class CobolBatch {

    private static final Pattern STATE = Pattern.compile("STATE (\\S\\S) RECORDS (\\d+) CENTS (-?\\d+)");
    private static final Pattern TOTAL = Pattern.compile("TOTAL FILES (\\d+) RECORDS (\\d+) CENTS (-?\\d+) ERRORS (\\d+)");
    private static Path program;

    /** What the batch printed, parsed. */
    public record Result(int exitCode, String output, Map<String, Long> centsByState, int files, long records,
                         long cents, int errors) { }

    public static synchronized Path program() throws Exception {
        if (program == null) {
            Path out = Files.createDirectories(Path.of("target", "cobol"));
            Path exe = out.resolve("syncbatch");
            Process cobc = new ProcessBuilder("cobc", "-x", "-I", "routes/mainframe", "-o", exe.toString(),
                    "src/test/cobol/SYNCBATCH.cbl").redirectErrorStream(true).start();
            String log = new String(cobc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cobc.waitFor(120, TimeUnit.SECONDS) || cobc.exitValue() != 0) {
                throw new IllegalStateException("cobc could not compile SYNCBATCH.cbl: " + log);
            }
            program = exe;
        }
        return program;
    }

    /** Runs the batch over these files, in this order. */
    public static Result run(List<Path> files) throws Exception {
        Path list = Files.createTempFile("syncbatch", ".list");
        Files.write(list, files.stream().map(p -> p.toAbsolutePath().toString()).toList());
        Process batch = new ProcessBuilder(program().toAbsolutePath().toString(), list.toString()).redirectErrorStream(true).start();
        String output = new String(batch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!batch.waitFor(60, TimeUnit.SECONDS)) {
            batch.destroyForcibly();
            throw new IllegalStateException("the batch did not finish: " + output);
        }
        Files.delete(list);
        Map<String, Long> states = new LinkedHashMap<>();
        Matcher m = STATE.matcher(output);
        while (m.find()) {
            states.put(m.group(1), Long.parseLong(m.group(3)));
        }
        Matcher t = TOTAL.matcher(output);
        if (!t.find()) {
            throw new IllegalStateException("the batch printed no TOTAL line: " + output);
        }
        return new Result(batch.exitValue(), output, states, Integer.parseInt(t.group(1)), Long.parseLong(t.group(2)),
                Long.parseLong(t.group(3)), Integer.parseInt(t.group(4)));
    }

    /**
     * Picks up every completed file in the outbox as the batch does: only a file whose marker
     * exists, moved away, marker deleted. Returns the files taken, now in {@code into}.
     */
    public static List<Path> pickUp(Path outbox, Path into) throws IOException {
        Files.createDirectories(into);
        List<Path> taken = new ArrayList<>();
        try (var files = Files.list(outbox)) {
            for (Path marker : files.filter(f -> f.getFileName().toString().endsWith(".dat.done")).sorted().toList()) {
                String name = marker.getFileName().toString().replaceFirst("\\.done$", "");
                Path target = into.resolve(name);
                Files.move(outbox.resolve(name), target);
                Files.delete(marker);
                taken.add(target);
            }
        }
        return taken;
    }

    private CobolBatch() {
    }
}
