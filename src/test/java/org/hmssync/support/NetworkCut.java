package org.hmssync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's TCP connections on this machine, cut as a power loss or a pulled cable would: every
 * packet of each of them, either way, is dropped (iptables, as root), so the peers hear nothing, not
 * even the close when the process is then killed. A rule names the whole connection (both addresses
 * and ports): another process may use the same local port towards another peer, and must not be cut.
 * {@link #close} lets them through again (a JVM killed first leaves the rules behind).
 */
public final class NetworkCut implements AutoCloseable {

    /** {@code ss -tnpH state established}: Recv-Q, Send-Q, local address:port, peer address:port, users. */
    private static final Pattern CONNECTION = Pattern.compile("^\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s+(\\S+):(\\d+)\\s.*pid=(\\d+),");
    private static final String MAPPED = "::ffff:";

    private final Set<String> v4 = new LinkedHashSet<>();
    private final Set<String> v6 = new LinkedHashSet<>();

    private NetworkCut() {
    }

    /** Cuts every established connection of process {@code pid}; fails (never skips) where iptables cannot run. */
    public static NetworkCut of(long pid) throws IOException, InterruptedException {
        NetworkCut cut = new NetworkCut();
        for (String line : run(List.of("ss", "-tnpH", "state", "established"), null).split("\n")) {
            Matcher m = CONNECTION.matcher(line.trim());
            if (!m.find() || Long.parseLong(m.group(5)) != pid) {
                continue;
            }
            String local = address(m.group(1));
            String peer = address(m.group(3));
            Set<String> rules = local.contains(":") ? cut.v6 : cut.v4;
            rules.add("INPUT -p tcp -s " + local + " --sport " + m.group(2) + " -d " + peer + " --dport " + m.group(4) + " -j DROP");
            rules.add("INPUT -p tcp -s " + peer + " --sport " + m.group(4) + " -d " + local + " --dport " + m.group(2) + " -j DROP");
        }
        if (cut.connections() == 0) {
            throw new IllegalStateException("process " + pid + " has no established TCP connection to cut");
        }
        cut.apply("-I");   // all at once: a machine loses every connection in the same instant
        return cut;
    }

    public int connections() {
        return (v4.size() + v6.size()) / 2;
    }

    /** As iptables writes it: no brackets, an IPv4 address mapped into IPv6 (a Java socket) as IPv4. */
    private static String address(String shown) {
        String bare = shown.startsWith("[") ? shown.substring(1, shown.length() - 1) : shown;
        return bare.startsWith(MAPPED) ? bare.substring(MAPPED.length()) : bare;
    }

    /** One restore per family for every rule, so they take effect together. */
    private void apply(String how) throws IOException, InterruptedException {
        restore("iptables-restore", v4, how);
        restore("ip6tables-restore", v6, how);
    }

    private static void restore(String tool, Set<String> rules, String how) throws IOException, InterruptedException {
        if (rules.isEmpty()) {
            return;
        }
        StringBuilder table = new StringBuilder("*filter\n");
        rules.forEach(rule -> table.append(how).append(' ').append(rule).append('\n'));
        table.append("COMMIT\n");
        List<String> command = new ArrayList<>(List.of(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin", tool))
                ? "/usr/sbin/" + tool : tool, "-w", "--noflush"));
        if (!"root".equals(System.getProperty("user.name"))) {
            command.addAll(0, List.of("sudo", "-n"));   // as bin/test installs packages: through sudo when not root
        }
        run(command, table.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (connections() > 0) {
            apply("-D");
            v4.clear();
            v6.clear();
        }
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
