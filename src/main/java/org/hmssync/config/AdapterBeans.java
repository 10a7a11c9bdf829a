package org.hmssync.config;

import java.nio.charset.Charset;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.hmssync.adapters.mainframe.BatchWindowDrop;
import org.hmssync.adapters.mainframe.LandingZone;
import org.hmssync.adapters.mainframe.PartitionedWindows;
import org.hmssync.adapters.mainframe.MainframeDrop;
import org.hmssync.adapters.mainframe.MainframeRecords;
import org.hmssync.settings.HubSettings;
import org.hmssync.simulators.SimulatedSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The beans the YAML route files refer to by name: the mainframe's records and landing zone, the simulators. */
final class AdapterBeans {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterBeans.class);

    private AdapterBeans() {
    }

    static void bind(CamelContext context, HubSettings settings, Stores stores, java.util.Optional<ClusterWiring> cluster) throws Exception {
        Charset charset = Charset.forName(settings.required("hms.mainframe.charset"));
        MainframeRecords records = new MainframeRecords(stores.clock(), charset);
        records.setCamelContext(context);
        context.getRegistry().bind("mainframeRecords", records);
        context.getRegistry().bind("mainframeDrop", landingZone(context, settings, stores.data().resolve("mainframe"), records, charset, stores,
                cluster));
        context.getRegistry().bind("debitVendorSimulator", new SimulatedSystem("debit-vendor", stores.json()));
        context.getRegistry().bind("dashboardSimulator", new SimulatedSystem("dashboard", stores.json()));
    }

    /** HMS_MAINFRAME_MODE: per-event files (the default) or batch-window files. */
    private static LandingZone landingZone(CamelContext context, HubSettings settings, Path root, MainframeRecords records,
                                           Charset charset, Stores stores, java.util.Optional<ClusterWiring> cluster) throws Exception {
        String mode = settings.required("hms.mainframe.mode");
        switch (mode) {
            case "per-event":
                LOG.info("mainframe per-event mode: one file per committed event in {}", root.resolve("outbox"));
                return new MainframeDrop(root);
            case "window":
                int maxRecords = settings.requiredInt("hms.mainframe.window.max-records");
                long maxAgeMs = settings.requiredLong("hms.mainframe.window.max-age-ms");
                if (cluster.isPresent()) {
                    return partitionedWindows(context, root, records, charset, stores, cluster.get(), maxRecords, maxAgeMs);
                }
                LOG.info("mainframe window mode: committed records gather in {} and go out as one batch file in {} at {} records or {} ms,"
                        + " whichever comes first (HMS_MAINFRAME_WINDOW_MAX_RECORDS, HMS_MAINFRAME_WINDOW_MAX_AGE_MS)",
                        root.resolve("window"), root.resolve("outbox"), maxRecords, maxAgeMs);
                return Stores.closeWithContext(context, new BatchWindowDrop(root, records, charset, maxRecords, maxAgeMs, stores.clock(),
                        context.getExecutorServiceManager().newSingleThreadScheduledExecutor(AdapterBeans.class, "hms-mainframe-window")));
            default:
                throw new StartRefusedException("HMS_MAINFRAME_MODE must be per-event or window, was " + mode);
        }
    }

    /** The header's SH-FILE-ID (the file name without .dat) holds 40 characters: "batch-" + 14 + "-" + this + 6-digit seq. */
    private static final int FILE_ID_LENGTH = 40;

    /**
     * {@code <instance>-p<n>-}, the instance id cut to what the 40-character file id leaves: the
     * partition and the window's seq keep names apart (one partition, one window, whoever holds
     * it); the instance tells a person which hub closed it.
     */
    static String windowNamePart(String instance, int partition) {
        String part = "p" + partition + "-";
        int room = FILE_ID_LENGTH - "batch-".length() - 14 - 1 - 6 - part.length() - 1;
        return room <= 0 ? part : instance.substring(0, Math.min(room, instance.length())) + "-" + part;
    }

    /**
     * Cluster mode: a window per partition, opened by the hub that takes the partition and handed on
     * with it; files {@code batch-<stamp>-<HMS_INSTANCE_ID, cut>-p<n>-<seq>.dat}, so no two hubs write one name.
     */
    private static LandingZone partitionedWindows(CamelContext context, Path root, MainframeRecords records, Charset charset, Stores stores,
                                                  ClusterWiring cluster, int maxRecords, long maxAgeMs) throws Exception {
        var timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(AdapterBeans.class, "hms-mainframe-window");
        PartitionedWindows windows = Stores.closeWithContext(context, new PartitionedWindows(cluster::partitionOf,
                p -> new BatchWindowDrop(root, "window-p" + p, windowNamePart(cluster.instanceId(), p), records, charset, maxRecords, maxAgeMs,
                        stores.clock(), timer)));
        cluster.perPartition(windows::take, windows::giveBack);
        LOG.info("mainframe window mode in a cluster: a window per partition in {}/window-p<n>, each with the hub holding its partition; "
                + "batch files in {} at {} records or {} ms", root, root.resolve("outbox"), maxRecords, maxAgeMs);
        return windows;
    }
}
