package org.hmssync.config;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.hmssync.settings.HubSettings;

/**
 * The systems whose files are in the routes folder ({@code <routes>/adapters/<name>.camel.yaml}, from
 * disk or from the jar), and the settings a REST adapter file gives its system: the parameters of its
 * prepare call other than the call's own ({@code event-types}, {@code when}, {@code prepare-timeout-ms},
 * {@code retry.*}), read as {@code hms.adapter.<name>.<parameter>} under the properties.
 */
final class AdapterFiles {

    static final String SUFFIX = ".camel.yaml";
    /** The template's parameters that make the call itself; the others are the system's settings. */
    private static final Set<String> CALL = Set.of("system", "phase", "url", "body", "method");

    private AdapterFiles() {
    }

    /** The systems by name, and {@code hms.adapter.<name>.<key>} → value for every setting their files give. */
    record Found(List<String> names, Map<String, String> settings) { }

    /** Lists and reads the adapter files once, at configure time. */
    static Found read(CamelContext context, HubSettings settings) throws Exception {
        java.util.Collection<Resource> files = files(context, settings);
        List<String> names = files.stream().map(AdapterFiles::nameOf).distinct().sorted().toList();
        return new Found(names, settings(files));
    }

    private static Map<String, String> settings(java.util.Collection<Resource> files) throws Exception {
        Map<String, String> found = new HashMap<>();
        for (Resource file : files) {
            String name = nameOf(file);
            Object yaml;
            try (InputStream in = file.getInputStream()) {
                yaml = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                        .loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (RuntimeException unreadable) {
                continue;   // the route loader names the file and line when it reads it
            }
            if (!(yaml instanceof List<?> items)) {
                continue;
            }
            for (Object item : items) {
                Map<String, String> call = parameters(item);
                if ("prepare".equals(call.get("phase"))) {
                    call.forEach((key, value) -> {
                        if (!CALL.contains(key) && value != null && !value.isBlank()) {
                            found.put("hms.adapter." + name + "." + key, value);
                        }
                    });
                }
            }
        }
        return found;
    }

    /** The {@code name: value} parameters of a {@code templatedRoute}; empty for anything else. */
    private static Map<String, String> parameters(Object item) {
        Map<String, String> parameters = new HashMap<>();
        if (item instanceof Map<?, ?> element && element.get("templatedRoute") instanceof Map<?, ?> templated
                && templated.get("parameters") instanceof List<?> list) {
            for (Object p : list) {
                if (p instanceof Map<?, ?> parameter && parameter.get("name") != null) {
                    parameters.put(String.valueOf(parameter.get("name")), parameter.get("value") == null ? null : String.valueOf(parameter.get("value")));
                }
            }
        }
        return parameters;
    }

    private static java.util.Collection<Resource> files(CamelContext context, HubSettings settings) throws Exception {
        String pattern = settings.required("hms.routes-location") + "/adapters/*" + SUFFIX;
        PackageScanResourceResolver resolver = context.getCamelContextExtension().getContextPlugin(PackageScanResourceResolver.class);
        return resolver.findResources(pattern).stream().filter(r -> r.getLocation().endsWith(SUFFIX)).toList();
    }

    private static String nameOf(Resource file) {
        String location = file.getLocation();
        String base = location.substring(location.lastIndexOf('/') + 1);
        return base.substring(0, base.length() - SUFFIX.length());
    }
}
