package org.hmssync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.hmssync.runs.RunGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code HMS_ROUTES_RELOAD=true}, for development: an edited adapter file is checked first, as
 * {@code validate} checks (the whole hub built on a throw-away folder with the file as it is now);
 * an invalid edit leaves the running version in place and says why (the log, and the health
 * detail {@code adapter-reload}). A valid one is swapped in between events: the run gate closes once
 * the runs inside have ended, the adapter's three routes are replaced, the gate opens.
 */
final class AdapterReload {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterReload.class);
    private static final List<String> PHASES = List.of("prepare", "commit", "rollback");

    private final CamelContext context;
    private final Path folder;
    private final List<String> adapters;
    private final RunGate gate;
    private final long waitForRunsMs;
    private final Map<String, Long> loaded = new LinkedHashMap<>();
    private volatile String lastRefusal;

    AdapterReload(CamelContext context, Path folder, List<String> adapters, RunGate gate, long waitForRunsMs) {
        this.context = context;
        this.folder = folder;
        this.adapters = adapters;
        this.gate = gate;
        this.waitForRunsMs = waitForRunsMs;
        adapters.forEach(name -> loaded.put(name, modified(name)));
    }

    void start(ScheduledExecutorService timer, long intervalMs) {
        timer.scheduleWithFixedDelay(this::lookQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("adapter files in {} are reloaded when edited (HMS_ROUTES_RELOAD): checked first, swapped between events", folder);
    }

    /** Why the last edit was not loaded; null when the last edit was (or there was none). */
    String lastRefusal() {
        return lastRefusal;
    }

    private void lookQuietly() {
        try {
            look();
        } catch (Exception e) {
            LOG.warn("adapter reload: {}", e.toString());
        }
    }

    private void look() throws Exception {
        for (String name : adapters) {
            long now = modified(name);
            if (now != loaded.get(name) && now != 0) {
                reload(name, now);
            }
        }
    }

    private void reload(String name, long modified) throws Exception {
        Path file = folder.resolve(name + AdapterFiles.SUFFIX);
        List<String> problems = check();
        if (!problems.isEmpty()) {
            loaded.put(name, modified);   // told once per edit
            lastRefusal = file + ": the edit is not loaded, the running version stays: " + String.join("; ", problems);
            LOG.warn("adapter {}: the edit of {} is not loaded, the running version stays:\n  {}", name, file, String.join("\n  ", problems));
            return;
        }
        if (!gate.closeWhenEmpty(waitForRunsMs)) {
            LOG.info("adapter {}: the edit waits for the running events to end", name);
            return;   // tried again at the next look
        }
        try {
            for (String phase : PHASES) {
                String id = name + "-" + phase;
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
            PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        } finally {
            gate.open();
        }
        loaded.put(name, modified);
        lastRefusal = null;
        LOG.info("adapter {} reloaded from {}, between events", name, file);
    }

    /** The whole hub built as start-up builds it, with the files as they are now: its problems, or none. */
    private List<String> check() {
        try (ScratchHub scratch = new ScratchHub("file:" + folder.getParent())) {
            scratch.start();
            return List.of();
        } catch (Exception e) {
            List<String> problems = ScratchHub.problems(e);
            return problems.isEmpty() ? List.of(e.toString()) : problems;
        }
    }

    private long modified(String name) {
        try {
            Path file = folder.resolve(name + AdapterFiles.SUFFIX);
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() + Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
