package org.hmssync.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness is DOWN while the data folder (ledger, DLQ, mainframe drop) cannot be written. */
public final class DataFolderHealthCheck extends AbstractHealthCheck {

    private final Path folder;

    public DataFolderHealthCheck(Path folder) {
        super("hms", "data-folder");
        this.folder = folder;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            Path probe = Files.createTempFile(folder, ".health", ".tmp");
            Files.delete(probe);
            builder.up();
        } catch (IOException | SecurityException e) {
            builder.message("data folder " + folder + " is not writable: " + e.getClass().getSimpleName()).down();
        }
    }
}
