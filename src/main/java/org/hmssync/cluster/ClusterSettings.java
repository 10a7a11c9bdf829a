package org.hmssync.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hmssync.settings.HubSettings;

/** Cluster mode's settings; present only when {@code HMS_LEDGER_URL} is set. */
public record ClusterSettings(String ledgerUrl, String instanceId, long takeoverMs, int partitions, long followMs, int poolSize) {

    /** The instance id names files in the shared mainframe folder: nothing that could leave it. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static Optional<ClusterSettings> from(HubSettings settings) {
        Optional<String> url = settings.optional("hms.ledger.url");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.get().startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("HMS_LEDGER_URL must be a jdbc:postgresql:// URL");
        }
        String id = settings.optional("hms.instance").orElseGet(ClusterSettings::hostName);
        if (!INSTANCE_ID.matcher(id).matches() || id.startsWith(".")) {
            throw new IllegalArgumentException("HMS_INSTANCE_ID must be 1 to 64 letters, digits, '.', '_' or '-', was '" + id + "'");
        }
        return Optional.of(new ClusterSettings(url.get(), id, settings.requiredLong("hms.cluster.takeover-s") * 1000,
                settings.requiredInt("hms.cluster.partitions"), settings.requiredLong("hms.cluster.follow-ms"),
                settings.requiredInt("hms.cluster.pool-size")));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "hub";
        }
    }

    /**
     * Told to the server for the session that holds this hub's units: probe the hub's socket when it
     * is quiet, and give up on an answer it does not acknowledge, so a hub that vanished without
     * closing it (power lost, network cut) has the session ended, and its units freed, within about
     * half of the takeover (PostgreSQL's own defaults: two hours idle, some fifteen minutes sending).
     */
    public Optional<String> leaseSessionOptions() {
        return ownOptions() ? Optional.empty() : Optional.of(probes());
    }

    /**
     * Told to the server for the pool's sessions: the same probes, and a transaction left open (its
     * hub gone between taking the ledger's lock and committing) is ended, so it cannot hold every
     * other hub's ledger writes.
     */
    public Optional<String> poolSessionOptions() {
        return ownOptions() ? Optional.empty() : Optional.of(probes() + " -c idle_in_transaction_session_timeout=" + Math.max(10_000, takeoverMs / 2));
    }

    private String probes() {
        long seconds = Math.max(4, takeoverMs / 1000);
        return "-c tcp_keepalives_idle=" + Math.max(1, seconds / 4) + " -c tcp_keepalives_interval=" + Math.max(1, seconds / 8)
                + " -c tcp_keepalives_count=3 -c tcp_user_timeout=" + seconds * 1000 / 2;
    }

    /** An operator's own server options in the URL stay as given: none are added. */
    private boolean ownOptions() {
        return ledgerUrl.contains("options=");
    }

    /** The URL as it may be logged: without its parameters (a password may be one). */
    public String redactedUrl() {
        int query = ledgerUrl.indexOf('?');
        return query < 0 ? ledgerUrl : ledgerUrl.substring(0, query) + "?...";
    }
}
