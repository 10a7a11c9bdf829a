package org.hmssync.config;

import java.nio.charset.Charset;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.hmssync.adapters.mainframe.BatchWindowDrop;
import org.hmssync.adapters.mainframe.LandingZone;
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

    static void bind(CamelContext context, HubSettings settings, Stores stores) throws Exception {
        Charset charset = Charset.forName(settings.required("hms.mainframe.charset"));
        MainframeRecords records = new MainframeRecords(stores.clock(), charset);
        records.setCamelContext(context);
        context.getRegistry().bind("mainframeRecords", records);
        context.getRegistry().bind("mainframeDrop", landingZone(context, settings, stores.data().resolve("mainframe"), records, charset, stores));
        context.getRegistry().bind("debitVendorSimulator", new SimulatedSystem("debit-vendor", stores.json()));
        context.getRegistry().bind("dashboardSimulator", new SimulatedSystem("dashboard", stores.json()));
    }

    /** HMS_MAINFRAME_MODE: per-event files (the default) or batch-window files. */
    private static LandingZone landingZone(CamelContext context, HubSettings settings, Path root, MainframeRecords records,
                                           Charset charset, Stores stores) throws Exception {
        String mode = settings.required("hms.mainframe.mode");
        switch (mode) {
            case "per-event":
                LOG.info("mainframe per-event mode: one file per committed event in {}", root.resolve("outbox"));
                return new MainframeDrop(root);
            case "window":
                if (settings.optional("hms.ledger.url").isPresent()) {
                    // a window's open and published records are one hub's own: an undo or a recovery on another hub could not reach them
                    throw new StartRefusedException("HMS_MAINFRAME_MODE=window is not supported in cluster mode (HMS_LEDGER_URL set): "
                            + "use per-event files, which every hub can stage, publish and withdraw");
                }
                int maxRecords = settings.requiredInt("hms.mainframe.window.max-records");
                long maxAgeMs = settings.requiredLong("hms.mainframe.window.max-age-ms");
                LOG.info("mainframe window mode: committed records gather in {} and go out as one batch file in {} at {} records or {} ms,"
                        + " whichever comes first (HMS_MAINFRAME_WINDOW_MAX_RECORDS, HMS_MAINFRAME_WINDOW_MAX_AGE_MS)",
                        root.resolve("window"), root.resolve("outbox"), maxRecords, maxAgeMs);
                return Stores.closeWithContext(context, new BatchWindowDrop(root, records, charset, maxRecords, maxAgeMs, stores.clock(),
                        context.getExecutorServiceManager().newSingleThreadScheduledExecutor(AdapterBeans.class, "hms-mainframe-window")));
            default:
                throw new StartRefusedException("HMS_MAINFRAME_MODE must be per-event or window, was " + mode);
        }
    }
}
