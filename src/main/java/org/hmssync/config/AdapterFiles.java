package org.hmssync.config;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.hmssync.settings.HubSettings;

/** The systems whose files are in the routes folder: {@code <routes>/adapters/<name>.camel.yaml}, from disk or from the jar. */
final class AdapterFiles {

    private static final String SUFFIX = ".camel.yaml";

    private AdapterFiles() {
    }

    static List<String> names(CamelContext context, HubSettings settings) throws Exception {
        String pattern = settings.required("hms.routes-location") + "/adapters/*" + SUFFIX;
        PackageScanResourceResolver resolver = context.getCamelContextExtension().getContextPlugin(PackageScanResourceResolver.class);
        return resolver.findResources(pattern).stream().map(Resource::getLocation)
                .map(location -> location.substring(location.lastIndexOf('/') + 1))
                .filter(file -> file.endsWith(SUFFIX))
                .map(file -> file.substring(0, file.length() - SUFFIX.length()))
                .distinct().sorted().toList();
    }
}
