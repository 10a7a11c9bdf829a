package org.hmssync.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's file: by key or by the contract's variable, over the jar's defaults, under the environment. */
class OperatorFileTest {

    @TempDir
    Path dir;
    final Map<String, String> environment = new HashMap<>();

    @Test
    void aVariableWrittenInTheFileSetsTheKeyItsDefaultReads() throws IOException {
        OperatorFile file = load("HMS_HOLD_MAX_S = 14400\nHMS_INSTANCE_ID = hub-east\nHMS_SHUTDOWN_TIMEOUT_S = 45\n");
        assertThat(file.getProperty("hms.hold.max-s")).isEqualTo("14400");
        assertThat(file.getProperty("hms.instance")).as("a variable named unlike its key").isEqualTo("hub-east");
        assertThat(file.loadProperties(k -> k.startsWith("camel.main.")))
                .as("camel-main's options are loaded in bulk").containsEntry("camel.main.shutdown-timeout", "45");
        assertThat(file.getProperty("hms.http.port")).as("not in the file: the jar's default").isNull();
    }

    @Test
    void aKeyWrittenInTheFileIsReadAsWritten() throws IOException {
        OperatorFile file = load("hms.http.port = 9090\nhms.adapter.portal.url = http://portal\n");
        assertThat(file.getProperty("hms.http.port")).isEqualTo("9090");
        assertThat(file.getProperty("hms.adapter.portal.url")).isEqualTo("http://portal");
    }

    @Test
    void theEnvironmentBeatsTheFileWhicheverNameEitherUses() throws IOException {
        environment.put("HMS_INSTANCE_ID", "from-env");
        environment.put("HMS_HTTP_PORT", "7070");
        environment.put("HMS_ADAPTER_PORTAL_URL", "http://env");
        OperatorFile file = load("hms.instance = from-file\nHMS_HTTP_PORT = 9090\nHMS_ADAPTER_PORTAL_URL = http://file\n");
        assertThat(file.getProperty("hms.instance")).as("left to the default, which reads the environment").isNull();
        assertThat(file.getProperty("hms.http.port")).isNull();
        assertThat(file.getProperty("hms.adapter.portal.url")).isNull();
        assertThat(file.variable("HMS_ADAPTER_PORTAL_URL")).contains("http://env");
    }

    @Test
    void aFileHmsConfigNamesMustExistTheDefaultOneNeedNot() {
        assertThatThrownBy(() -> OperatorFile.load(dir.resolve("missing.properties").toString(), defaults(), environment::get))
                .hasMessageContaining("HMS_CONFIG names").hasMessageContaining("missing.properties");
        assertThat(OperatorFile.load(null, defaults(), environment::get).getProperty("hms.no-such-key")).isNull();
    }

    private OperatorFile load(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("operator.properties"), text);
        return OperatorFile.load(file.toString(), defaults(), environment::get);
    }

    /** As the jar writes them. */
    private static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty("hms.hold.max-s", "{{env:HMS_HOLD_MAX_S:0}}");
        defaults.setProperty("hms.instance", "{{env:HMS_INSTANCE_ID:{{env:HOSTNAME:hms-sync}}}}");
        defaults.setProperty("hms.http.port", "{{env:HMS_HTTP_PORT:8080}}");
        defaults.setProperty("camel.main.shutdown-timeout", "{{env:HMS_SHUTDOWN_TIMEOUT_S:30}}");
        return defaults;
    }
}
