package org.hmssync.commands;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hmssync.settings.HubSettings;

/**
 * {@code new-adapter <name> [--kind rest] [--routes DIR]}: writes {@code <routes>/adapters/<name>.camel.yaml},
 * a REST system speaking the three calls of contract section 6 to its {@code url}, through the hub's
 * REST adapter template. The file is complete: set its URL (HMS_ADAPTER_<NAME>_URL) and restart.
 */
final class NewAdapterCommand implements HubCommand {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    @Override
    public String usage() {
        return "new-adapter <name> [--kind rest|file] [--routes DIR]: write routes/adapters/<name>.camel.yaml for a new REST system, or a JSON file drop";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        List<String> rest = new ArrayList<>(args);
        String kind = option(rest, "--kind", "rest");
        String routes = option(rest, "--routes", routesDir());
        if (rest.size() != 1) {
            err.println("usage: java -jar hms-sync.jar " + usage());
            return 2;
        }
        String name = rest.get(0);
        if (!NAME.matcher(name).matches()) {
            err.println("new-adapter: '" + name + "' is not an adapter name (lower-case letters, digits and '-', starting with a letter, at most 40)");
            return 2;
        }
        if (!"rest".equals(kind) && !"file".equals(kind)) {
            err.println("new-adapter: --kind " + kind + " is not known; 'rest' writes a REST system, 'file' a JSON file drop (a system with "
                    + "another protocol: copy routes/adapters/mainframe.camel.yaml and write its three routes out)");
            return 2;
        }
        Path file = Path.of(routes, "adapters", name + ".camel.yaml");
        if (Files.exists(file)) {
            err.println("new-adapter: " + file + " exists already; nothing written");
            return 1;
        }
        Files.createDirectories(file.getParent());
        boolean restKind = "rest".equals(kind);
        Files.writeString(file, restKind ? restAdapter(name) : fileDrop(name));
        String key = restKind ? "url" : "dir";
        String env = HubSettings.environmentName("hms.adapter." + name + "." + key);
        out.println("wrote " + file);
        out.println("next: set its " + (restKind ? "base URL (" + env + "=https://..." : "folder (" + env + "=/srv/drop/" + name)
                + ", or hms.adapter." + name + "." + key + " in config/application.properties),");
        out.println("      check it with: java -jar hms-sync.jar validate   and see its requests with: java -jar hms-sync.jar render "
                + name + " event.json");
        out.println("      then restart the hub: every file in routes/adapters/ is a system (unless HMS_ADAPTERS names them)");
        return 0;
    }

    private static String option(List<String> args, String flag, String otherwise) {
        int at = args.indexOf(flag);
        if (at < 0 || at + 1 >= args.size()) {
            return otherwise;
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private static String routesDir() {
        return HubCommands.setting("hms.routes-dir").orElse("routes");
    }

    /**
     * A JSON file drop: prepare stages the event (the disk took it), commit publishes it into the
     * outbox under a temporary name renamed at the end, rollback drops a reversal file beside it.
     * The event id names the files: ids are checked at the door, no path reaches them.
     */
    static String fileDrop(String name) {
        String env = HubSettings.environmentName("hms.adapter." + name);
        return """
                # %1$s: a JSON file drop, written by `java -jar hms-sync.jar new-adapter %1$s --kind file`.
                #
                # Prepare stages the event in {dir}/staging/<id>.json (the disk took it). Commit publishes it as
                # {dir}/outbox/<id>.json, written under a temporary name and renamed when complete, so a reader
                # never sees half a file. Rollback drops {dir}/outbox/<id>.reversal.json: the reader undoes <id>.
                # Its folder: hms.adapter.%1$s.dir, required: the environment variable %2$s_DIR, or the key in
                # config/application.properties. Its settings (event-types, when, prepare-timeout-ms, retry.*) are
                # properties hms.adapter.%1$s.<key>, e.g. %2$s_EVENT_TYPES=benefit_adjusted.
                - route:
                    id: %1$s-prepare
                    from:
                      uri: direct:%1$s-prepare
                      steps:
                        - marshal: {json: {}}
                        - to: "file:{{hms.adapter.%1$s.dir}}/staging?fileName=${header.HmsRollbackToken}.json&fileExist=Override"
                - route:
                    id: %1$s-commit
                    from:
                      uri: direct:%1$s-commit
                      steps:
                        - marshal: {json: {}}
                        - to: "file:{{hms.adapter.%1$s.dir}}/outbox?fileName=${header.HmsRollbackToken}.json&fileExist=Override&tempPrefix=.writing-"
                - route:
                    id: %1$s-rollback
                    from:
                      uri: direct:%1$s-rollback
                      steps:
                        - setBody:
                            jq: '{event_id: .id, reversal: true}'
                        - marshal: {json: {}}
                        - to: "file:{{hms.adapter.%1$s.dir}}/outbox?fileName=${header.HmsRollbackToken}.reversal.json&fileExist=Override&tempPrefix=.writing-"
                """.formatted(name, env);
    }

    static String restAdapter(String name) {
        String env = HubSettings.environmentName("hms.adapter." + name);
        return """
                # %1$s: a REST system, written by `java -jar hms-sync.jar new-adapter %1$s`.
                #
                # Three calls of the hub's REST adapter (routes/templates/rest-adapter.camel.yaml). Change the paths
                # after the URL and the request bodies (jq on the event) to what the system expects.
                # Its URL: hms.adapter.%1$s.url, required: the environment variable %2$s_URL, or the key in
                # config/application.properties. Its settings are the extra parameters of its prepare call below:
                # event-types (comma list or *), when (a Camel simple predicate on the event: only events that
                # match), prepare-timeout-ms, retry.max-attempts, retry.first-delay-ms, retry.max-delay-ms.
                # %2$s_<KEY> or config/application.properties overrides any of them.
                - templatedRoute:
                    routeTemplateRef: hms-rest-call
                    routeId: %1$s-prepare
                    parameters:
                      - {name: system, value: %1$s}
                      - {name: phase, value: prepare}
                      - {name: url, value: "{{hms.adapter.%1$s.url}}/dry-run"}
                      - {name: body, value: ".payload + {event_id: .id}"}
                      - {name: event-types, value: benefit_adjusted}
                      # - {name: when, value: "${body[payload][state]} == 'OH'"}
                      # - {name: prepare-timeout-ms, value: "3000"}
                - templatedRoute:
                    routeTemplateRef: hms-rest-call
                    routeId: %1$s-commit
                    parameters:
                      - {name: system, value: %1$s}
                      - {name: phase, value: commit}
                      - {name: url, value: "{{hms.adapter.%1$s.url}}"}
                      - {name: body, value: ".payload + {event_id: .id}"}
                - templatedRoute:
                    routeTemplateRef: hms-rest-call
                    routeId: %1$s-rollback
                    parameters:
                      - {name: system, value: %1$s}
                      - {name: phase, value: rollback}
                      - {name: url, value: "{{hms.adapter.%1$s.url}}/reversal"}
                      - {name: body, value: "{event_id: .id}"}
                """.formatted(name, env);
    }
}
