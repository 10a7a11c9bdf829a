package org.hmssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hmssync.support.Dockerfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the hub needs from docker-compose.yml and the Dockerfile, read as files (this machine has no
 * Docker engine): loopback-only ports, required tokens, routes and config mounted rather than baked
 * in, a healthcheck with a tool the image has, a non-root user, heap flags through JAVA_OPTS.
 */
class ContainerSetupTest {

    private Map<String, Object> services;
    private Map<String, Object> hub;
    private Map<String, Object> hubEnv;
    private Dockerfile dockerfile;

    @BeforeEach
    void read() throws Exception {
        Map<String, Object> compose = map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of("docker-compose.yml"))));
        services = map(compose.get("services"));
        hub = map(services.get("hub"));
        hubEnv = map(hub.get("environment"));
        dockerfile = Dockerfile.read(Path.of("Dockerfile"));
    }

    @Test
    void everyPublishedPortIsOnLoopbackOnlyAndNoneClashesWithAHostBroker() {
        services.forEach((name, service) -> {
            for (Object port : list(map(service).getOrDefault("ports", List.of()))) {
                assertThat(port).as(name + " publishes " + port).isInstanceOf(String.class);
                String[] parts = ((String) port).split(":");
                assertThat(parts).as(name + " publishes " + port + " as host-ip:host-port:container-port").hasSize(3);
                assertThat(parts[0]).as(name + " publishes " + port).isEqualTo("127.0.0.1");
                assertThat(parts[1]).as(name + " publishes " + port).isNotIn("5672", "15672");
            }
        });
        assertThat(list(hub.get("ports"))).containsExactly("127.0.0.1:8080-8082:8080");
    }

    @Test
    void theHubsShareAPostgresLedgerAndScaleWithoutNamesOfTheirOwn() throws Exception {
        Map<String, Object> postgres = map(services.get("postgres"));
        assertThat((String) postgres.get("image")).startsWith("postgres:");
        assertThat((String) map(postgres.get("environment")).get("POSTGRES_PASSWORD")).matches("\\$\\{HMS_POSTGRES_PASSWORD:\\?[^}]+}");
        assertThat(Files.readAllLines(Path.of(".env.example"))).contains("HMS_POSTGRES_PASSWORD=");
        assertThat((String) hubEnv.get("HMS_LEDGER_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(map(map(hub.get("depends_on")).get("postgres")).get("condition")).isEqualTo("service_healthy");
        assertThat(hubEnv).as("each replica is named by its host name").doesNotContainKey("HMS_INSTANCE_ID");
        assertThat(hub).as("a fixed name would stop --scale").doesNotContainKey("container_name");
    }

    @Test
    void theHubWillNotStartWithoutItsTokens() throws Exception {
        assertThat((String) hubEnv.get("HMS_OPERATOR_TOKEN")).matches("\\$\\{HMS_OPERATOR_TOKEN:\\?[^}]+}");
        assertThat((String) hubEnv.get("HMS_INGEST_TOKEN")).matches("\\$\\{HMS_INGEST_TOKEN:\\?[^}]+}");
        assertThat(Files.readAllLines(Path.of(".env.example"))).contains("HMS_OPERATOR_TOKEN=", "HMS_INGEST_TOKEN=");
        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains(".env");
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains(".env");
    }

    @Test
    void routesAndConfigAreMountedReadOnlyNotBakedIn() {
        assertThat(list(hub.get("volumes"))).contains(
                "./routes:" + hubEnv.get("HMS_ROUTES_DIR") + ":ro",
                "./config:/opt/hms-sync/config:ro",
                "hms-data:" + hubEnv.get("HMS_DATA_DIR"));
        assertThat((String) hubEnv.get("HMS_CONFIG")).startsWith("/opt/hms-sync/config/");
        assertThat(dockerfile.runtime("COPY")).noneMatch(copy -> copy.contains("routes") || copy.contains("config"));
        assertThat(Path.of("config")).isDirectory();
    }

    @Test
    void theHubHasAHealthcheckOnObserveHealthWithAToolItsImageInstalls() {
        List<Object> test = list(map(hub.get("healthcheck")).get("test"));
        assertThat(test).first().isEqualTo("CMD");
        assertThat(test).last().isEqualTo("http://127.0.0.1:8080/observe/health");
        String tool = (String) test.get(1);
        assertThat(dockerfile.runtime("RUN")).anyMatch(run -> run.matches(".*apt-get install [^&]*\\b" + tool + "\\b.*"));
    }

    @Test
    void theHubRunsAsItsOwnUserWhoOwnsTheDataFolder() {
        List<String> users = dockerfile.runtime("USER");
        assertThat(users).hasSize(1);
        String user = users.get(0).split(":")[0];
        assertThat(user).isNotIn("root", "0");
        String dataDir = dockerfile.runtimeEnv().get("HMS_DATA_DIR");
        assertThat(dataDir).isEqualTo(hubEnv.get("HMS_DATA_DIR"));
        assertThat(dockerfile.runtime("RUN")).anyMatch(run -> run.matches(".*useradd .*\\b" + user + "\\b.*")
                && run.matches(".*chown " + user + "(:\\S+)? " + dataDir + "\\b.*"));
        int userAt = indexOf("USER");
        assertThat(dockerfile.runtimeStage().subList(userAt, dockerfile.runtimeStage().size()))
                .as("after USER nothing installs as root").noneMatch(i -> i.keyword().equals("RUN"));
    }

    @Test
    void heapFlagsComeFromJavaOptsAndJavaStaysTheProcessThatGetsSigterm() {
        assertThat(dockerfile.runtime("ENTRYPOINT")).singleElement().asString()
                .startsWith("[\"sh\", \"-c\", \"exec java $JAVA_OPTS -jar hms-sync.jar");
        assertThat(dockerfile.runtimeEnv()).containsKey("JAVA_OPTS");
        assertThat((String) hubEnv.get("JAVA_OPTS")).startsWith("${JAVA_OPTS:-").contains("-Xmx");
    }

    @Test
    void theHubHoldsEventsThroughOutagesAsInProduction() {
        assertThat(hubEnv.get("HMS_HOLD_MAX_S")).isEqualTo("14400");
        assertThat(hubEnv.get("HMS_RABBITMQ_URI")).isEqualTo("amqp://guest:guest@rabbitmq:5672/");
        assertThat(map(map(hub.get("depends_on")).get("rabbitmq")).get("condition")).isEqualTo("service_healthy");
    }

    private int indexOf(String keyword) {
        List<Dockerfile.Instruction> stage = dockerfile.runtimeStage();
        for (int i = 0; i < stage.size(); i++) {
            if (stage.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " in the runtime stage");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object yaml) {
        assertThat(yaml).isInstanceOf(List.class);
        return (List<Object>) yaml;
    }
}
