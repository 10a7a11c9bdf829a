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

    /** The URL as it may be logged: without its parameters (a password may be one). */
    public String redactedUrl() {
        int query = ledgerUrl.indexOf('?');
        return query < 0 ? ledgerUrl : ledgerUrl.substring(0, query) + "?...";
    }
}
