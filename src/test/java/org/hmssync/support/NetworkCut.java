package org.hmssync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's TCP connections on this machine, cut as a power loss or a pulled cable would: every
 * packet to or from their local ports is dropped (iptables, as root), so the peers hear nothing, not
 * even the close when the process is then killed. {@link #close} lets them through again.
 */
public final class NetworkCut implements AutoCloseable {

    private static final Pattern LOCAL_PORT = Pattern.compile("^\\d+\\s+\\d+\\s+\\S+:(\\d+)\\s+\\S+:\\d+\\s.*pid=(\\d+),");
    private final List<String> rules = new ArrayList<>();

    private NetworkCut() {
    }

    /** Cuts every established connection of process {@code pid}; fails (never skips) where iptables cannot run. */
    public static NetworkCut of(long pid) throws IOException, InterruptedException {
        TreeSet<String> ports = new TreeSet<>();
        for (String line : run(List.of("ss", "-tnpH", "state", "established")).split("\n")) {
            Matcher m = LOCAL_PORT.matcher(line.trim());
            if (m.find() && Long.parseLong(m.group(2)) == pid) {
                ports.add(m.group(1));
            }
        }
        if (ports.isEmpty()) {
            throw new IllegalStateException("process " + pid + " has no established TCP connection to cut");
        }
        NetworkCut cut = new NetworkCut();
        for (String port : ports) {
            cut.rules.add("INPUT -i lo -p tcp --sport " + port + " -j DROP");
            cut.rules.add("INPUT -i lo -p tcp --dport " + port + " -j DROP");
        }
        cut.apply("-I");   // all at once: a machine loses every connection in the same instant
        return cut;
    }

    public int connections() {
        return rules.size() / 2;
    }

    /** One iptables-restore for every rule, so they take effect together. */
    private void apply(String how) throws IOException, InterruptedException {
        StringBuilder table = new StringBuilder("*filter\n");
        rules.forEach(rule -> table.append(how).append(' ').append(rule).append('\n'));
        table.append("COMMIT\n");
        List<String> restore = new ArrayList<>(List.of(tool("iptables-restore"), "-w", "--noflush"));
        if (!"root".equals(System.getProperty("user.name"))) {
            restore.addAll(0, List.of("sudo", "-n"));   // as bin/test installs packages: through sudo when not root
        }
        run(restore, table.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!rules.isEmpty()) {
            apply("-D");
            rules.clear();
        }
    }

    private static String tool(String name) {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin", name)) ? "/usr/sbin/" + name : name;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    private static String run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (iptables needs root; bin/test installs it): " + output);
        }
        return output;
    }
}
