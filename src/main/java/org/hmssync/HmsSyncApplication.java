package org.hmssync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.main.Main;
import org.hmssync.commands.HubCommands;
import org.hmssync.config.HubConfiguration;
import org.hmssync.config.StartChecks;
import org.hmssync.config.StartRefusedException;
import org.hmssync.settings.OperatorFile;

/** Starts the hub: camel-main with {@code application.properties}, the Java core and the YAML routes. */
public final class HmsSyncApplication {

    /** Starts on a ledger whose hash chain does not verify (hms.ledger.accept-broken); camel-main would refuse the argument. */
    static final String ACCEPT_BROKEN_LEDGER = "--accept-broken-ledger";

    private HmsSyncApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && HubCommands.find(args[0]).isPresent()) {
            System.exit(HubCommands.run(args, System.out, System.err));
        }
        List<String> hubArgs = new ArrayList<>(List.of(args));
        int code;
        try {
            Main main = create();
            if (hubArgs.remove(ACCEPT_BROKEN_LEDGER)) {
                main.addOverrideProperty("hms.ledger.accept-broken", "true");
            }
            stopOnSigterm(main);
            code = main.run(hubArgs.toArray(String[]::new));
        } catch (StartRefusedException refused) {
            System.err.println("HMS-SYNC did not start: " + refused.getMessage());
            code = 1;
        } catch (RuntimeException failed) {
            // a route file Camel cannot read (YAML, an expression): the lines a person needs, not a stack trace
            System.err.println("HMS-SYNC did not start:");
            org.hmssync.config.ScratchHub.problems(failed).forEach(line -> System.err.println("  " + line));
            code = 1;
        }
        System.exit(code);
    }

    /**
     * SIGTERM is a request to stop, not a crash: Camel stops taking events, lets the running ones
     * reach a final status or a ledger state recovery completes, and the process exits 0.
     */
    @SuppressWarnings("restriction")
    private static void stopOnSigterm(Main main) {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> main.completed());
    }

    /** The hub as tests start it: the same configuration as {@code java -jar}. */
    public static Main create() {
        return create(System.getenv("HMS_CONFIG"));
    }

    /** {@code hmsConfig}: the operator's properties file (HMS_CONFIG), null for the default {@value OperatorFile#DEFAULT_LOCATION}. */
    public static Main create(String hmsConfig) {
        OperatorFile operator;
        try {
            operator = OperatorFile.load(hmsConfig, OperatorFile.jarDefaults(), System::getenv);
        } catch (IllegalArgumentException refused) {
            throw new StartRefusedException(refused.getMessage());
        }
        Main main = new Main();
        // the jar's defaults; the operator's file is a source ahead of them (found in the registry), the environment beats both
        main.setDefaultPropertyPlaceholderLocation("classpath:application.properties;optional=true");
        main.bind("hmsOperatorFile", operator);
        main.configure().addConfiguration(HubConfiguration.class);
        main.addMainListener(new StartChecks());
        String routes = routesLocation(operator.variable("HMS_ROUTES_DIR").orElse(null));
        main.addInitialProperty("hms.routes-location", routes);
        main.addInitialProperty("hms.routes.templates-location", ownOrShipped(routes, "templates"));
        main.addInitialProperty("hms.routes.simulators-location", ownOrShipped(routes, "simulators"));
        return main;
    }

    /**
     * The hub's own route files ({@code part}: its templates, its simulators) from the routes folder
     * when it has them (an engineer may edit them too), else the copies inside the jar: a folder that
     * holds only {@code adapters/} is a whole configuration.
     */
    static String ownOrShipped(String routes, String part) {
        if (routes.startsWith("file:") && !Files.isDirectory(Path.of(routes.substring("file:".length()), part))) {
            return "classpath:routes/" + part;
        }
        return routes + "/" + part;
    }

    /**
     * Route files are read from disk so an engineer edits them without a build: HMS_ROUTES_DIR,
     * else ./routes; a jar started elsewhere falls back to the copies packaged inside it.
     */
    static String routesLocation(String configured) {
        if (configured != null && !configured.isBlank()) {
            return "file:" + configured;
        }
        return Files.isDirectory(Path.of("routes", "adapters")) ? "file:routes" : "classpath:routes";
    }
}
