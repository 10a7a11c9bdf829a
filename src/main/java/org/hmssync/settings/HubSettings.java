package org.hmssync.settings;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the adapters' settings from the hub's properties. Every per-adapter key falls back to the
 * hub-wide one ({@code hms.adapter.<name>.retry.max-attempts} to {@code hms.retry.max-attempts}).
 */
public final class HubSettings {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final Function<String, Optional<String>> properties;

    public HubSettings(Function<String, Optional<String>> properties) {
        this.properties = properties;
    }

    /** The adapters named by {@code hms.adapters} (HMS_ADAPTERS), in that order. */
    public List<AdapterSettings> adapters() {
        return adapters(List.of());
    }

    /**
     * The systems the hub talks to. {@code hms.adapters} (HMS_ADAPTERS), when set, names them and their
     * order. Unset, every adapter file found ({@code found}: the names of routes/adapters/*.camel.yaml)
     * is one, ordered by {@code hms.adapter-order} first and by name after: a new system is one file.
     */
    public List<AdapterSettings> adapters(List<String> found) {
        Optional<String> named = properties.apply("hms.adapters").filter(s -> !s.isBlank());
        List<String> names;
        if (named.isPresent()) {
            names = list(named.get());
        } else {
            List<String> order = properties.apply("hms.adapter-order").map(HubSettings::list).orElse(List.of());
            names = new java.util.ArrayList<>(order.stream().filter(found::contains).toList());
            found.stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no adapters: put one file per system in routes/adapters/, or name them in HMS_ADAPTERS");
        }
        return names.stream().map(this::adapter).toList();
    }

    /** The environment variable that sets a key, by Camel's rule: upper case, {@code .} and {@code -} as {@code _}. */
    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code hms.circuit.*} and {@code hms.hold.max-s}. */
    public CircuitSettings circuits() {
        return new CircuitSettings(requiredInt("hms.circuit.window-size"), requiredInt("hms.circuit.minimum-calls"),
                Float.parseFloat(required("hms.circuit.failure-rate-percent")), requiredLong("hms.circuit.open-wait-ms"),
                Double.parseDouble(required("hms.circuit.open-wait-multiplier")), requiredLong("hms.circuit.open-wait-max-ms"),
                requiredInt("hms.circuit.half-open-calls"),
                requiredLong("hms.hold.max-s"));
    }

    /** The hub-wide {@code hms.retry.*}: also the back-off of a held event whose system's circuit has not opened. */
    public RetrySettings retry() {
        return new RetrySettings(requiredInt("hms.retry.max-attempts"), requiredLong("hms.retry.first-delay-ms"),
                Double.parseDouble(required("hms.retry.multiplier")), requiredLong("hms.retry.max-delay-ms"));
    }

    public long coordinatorStragglerWaitMs() {
        return requiredLong("hms.coordinator.straggler-wait-ms");
    }

    private AdapterSettings adapter(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("adapter name '" + name + "' in hms.adapters must be lower-case letters, digits and '-'");
        }
        String prefix = "hms.adapter." + name + ".";
        Set<String> types = new LinkedHashSet<>();
        for (String t : value(prefix + "event-types", "hms.event-types").split(",")) {
            if (!t.isBlank()) {
                types.add(t.trim());
            }
        }
        String when = properties.apply(prefix + "when").filter(s -> !s.isBlank()).orElse(null);
        RetrySettings retry = new RetrySettings(
                Integer.parseInt(value(prefix + "retry.max-attempts", "hms.retry.max-attempts")),
                Long.parseLong(value(prefix + "retry.first-delay-ms", "hms.retry.first-delay-ms")),
                Double.parseDouble(value(prefix + "retry.multiplier", "hms.retry.multiplier")),
                Long.parseLong(value(prefix + "retry.max-delay-ms", "hms.retry.max-delay-ms")));
        long timeout = Long.parseLong(value(prefix + "prepare-timeout-ms", "hms.prepare-timeout-ms"));
        return new AdapterSettings(name, Set.copyOf(types), when, timeout, retry);
    }

    private String value(String key, String fallbackKey) {
        return properties.apply(key).filter(s -> !s.isBlank()).orElseGet(() -> required(fallbackKey));
    }

    /**
     * A value application.properties always sets (most from an environment variable with a default
     * there): the default lives in that one file, and a key an override blanked is said at start-up.
     */
    public String required(String key) {
        return properties.apply(key).filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("missing configuration " + key));
    }

    /** A value that may be left empty (the broker's URI, the access tokens). */
    public Optional<String> optional(String key) {
        return properties.apply(key).filter(s -> !s.isBlank());
    }

    public int requiredInt(String key) {
        return Integer.parseInt(required(key));
    }

    public long requiredLong(String key) {
        return Long.parseLong(required(key));
    }
}
