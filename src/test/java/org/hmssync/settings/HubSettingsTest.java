package org.hmssync.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hub's settings come from application.properties alone: a missing or blanked key is said by name. */
class HubSettingsTest {

    private static HubSettings of(Map<String, String> values) {
        return new HubSettings(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aMissingOrBlankedSettingIsNamedInsteadOfDefaultedInCode() {
        HubSettings settings = of(Map.of("hms.coordinator.concurrency", "  ", "hms.ledger.cached-events", "250"));

        assertThat(settings.requiredInt("hms.ledger.cached-events")).isEqualTo(250);
        assertThatThrownBy(() -> settings.requiredInt("hms.coordinator.concurrency"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing configuration hms.coordinator.concurrency");
        assertThatThrownBy(() -> settings.required("hms.data-dir"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing configuration hms.data-dir");
    }

    @Test
    void anEmptyOptionalSettingIsAbsent() {
        HubSettings settings = of(Map.of("hms.operator.token", "", "hms.rabbitmq.uri", "amqp://127.0.0.1:5672"));

        assertThat(settings.optional("hms.operator.token")).isEmpty();
        assertThat(settings.optional("hms.ingest.token")).isEmpty();
        assertThat(settings.optional("hms.rabbitmq.uri")).contains("amqp://127.0.0.1:5672");
    }

    @Test
    void anAdapterKeyFallsBackToTheHubWideOne() {
        HubSettings settings = of(Map.ofEntries(
                Map.entry("hms.adapters", "vendor"),
                Map.entry("hms.event-types", "benefit_adjusted"),
                Map.entry("hms.prepare-timeout-ms", "2000"),
                Map.entry("hms.adapter.vendor.prepare-timeout-ms", "750"),
                Map.entry("hms.retry.max-attempts", "3"),
                Map.entry("hms.retry.first-delay-ms", "200"),
                Map.entry("hms.retry.multiplier", "2"),
                Map.entry("hms.retry.max-delay-ms", "5000")));

        AdapterSettings vendor = settings.adapters().get(0);

        assertThat(vendor.prepareTimeoutMs()).isEqualTo(750);
        assertThat(vendor.eventTypes()).containsExactly("benefit_adjusted");
        assertThat(vendor.retry().maxAttempts()).isEqualTo(3);
    }
}
