package org.hmssync.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Ordered;
import org.apache.camel.spi.LoadablePropertiesSource;

/**
 * The operator's properties file ({@code HMS_CONFIG}), read ahead of the jar's defaults. A setting
 * may be written as the hub's key ({@code hms.hold.max-s = 14400}) or as the variable the contract
 * names ({@code HMS_HOLD_MAX_S = 14400}); either way it replaces the default, and the same variable
 * set in the environment beats the file.
 */
public final class OperatorFile implements LoadablePropertiesSource, Ordered {

    /** Where an operator's settings are read when HMS_CONFIG is unset (if the file is there). */
    public static final String DEFAULT_LOCATION = "config/application.properties";

    /** A default that is exactly one variable, with or without a fallback: the variable names the key. */
    private static final Pattern ONE_VARIABLE = Pattern.compile("^\\{\\{env:([A-Z][A-Z0-9_]*)(?::.*)?}}$", Pattern.DOTALL);

    private final Properties file;
    /** A key of the jar's defaults and the variable that sets it (hms.instance: HMS_INSTANCE_ID). */
    private final Map<String, String> variableOfKey;
    private final Function<String, String> environment;

    OperatorFile(Properties file, Map<String, String> variableOfKey, Function<String, String> environment) {
        this.file = file;
        this.variableOfKey = variableOfKey;
        this.environment = environment;
    }

    /**
     * {@code hmsConfig}: HMS_CONFIG, null or blank for {@value #DEFAULT_LOCATION} (optional); a file
     * HMS_CONFIG names must exist. {@code defaults}: the jar's application.properties, as written.
     */
    public static OperatorFile load(String hmsConfig, Properties defaults, Function<String, String> environment) {
        boolean named = hmsConfig != null && !hmsConfig.isBlank();
        Path path = Path.of(named ? hmsConfig.trim() : DEFAULT_LOCATION);
        Properties file = new Properties();
        if (named && !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("HMS_CONFIG names " + path + ", which is not a readable file");
        }
        if (Files.isRegularFile(path)) {
            try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("the operator's properties file " + path + " could not be read: " + e.getMessage(), e);
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (String key : defaults.stringPropertyNames()) {
            Matcher one = ONE_VARIABLE.matcher(defaults.getProperty(key).trim());
            if (one.matches()) {
                variables.put(key, one.group(1));
            }
        }
        return new OperatorFile(file, variables, environment);
    }

    /** The jar's {@code application.properties} as written (placeholders unresolved); read once, it never changes. */
    public static Properties jarDefaults() {
        return JarDefaults.READ;
    }

    private static final class JarDefaults {
        static final Properties READ = read();
    }

    private static Properties read() {
        Properties defaults = new Properties();
        try (InputStream in = OperatorFile.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the jar's application.properties could not be read", e);
        }
        return defaults;
    }

    /** A variable the hub reads before Camel starts (HMS_ROUTES_DIR): the environment, else the file. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(environment.apply(name)).or(() -> Optional.ofNullable(file.getProperty(name)));
    }

    /** Set, even empty, as Camel counts a variable. */
    private boolean inEnvironment(String name) {
        return environment.apply(name) != null;
    }

    @Override
    public String getName() {
        return "hms-operator-file";
    }

    /** Ahead of the jar's defaults (Camel numbers location sources from 100). */
    @Override
    public int getOrder() {
        return 50;
    }

    @Override
    public String getProperty(String key) {
        List<String> names = variablesOf(key);
        if (names.stream().anyMatch(this::inEnvironment)) {
            return null;   // the environment wins: the jar's default reads it
        }
        String value = file.getProperty(key);
        for (int i = 0; value == null && i < names.size(); i++) {
            value = file.getProperty(names.get(i));
        }
        return value;
    }

    /** Camel's own name for the key (HMS_HOLD_MAX_S for hms.hold.max-s), and the one the jar's default reads. */
    private List<String> variablesOf(String key) {
        List<String> names = new ArrayList<>(2);
        names.add(HubSettings.environmentName(key));
        String named = variableOfKey.get(key);
        if (named != null && !names.contains(named)) {
            names.add(named);
        }
        return names;
    }

    @Override
    public Properties loadProperties() {
        return loadProperties(key -> true);
    }

    /** Every key this file sets (camel-main reads its camel.* options this way). */
    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties answer = new Properties();
        List<String> keys = new ArrayList<>(file.stringPropertyNames());
        keys.addAll(variableOfKey.keySet());
        for (String key : keys) {
            String value = filter.test(key) ? getProperty(key) : null;
            if (value != null) {
                answer.setProperty(key, value);
            }
        }
        return answer;
    }

    @Override
    public void reloadProperties(String location) {
        // read once at start: a change takes a restart, like the environment
    }
}
