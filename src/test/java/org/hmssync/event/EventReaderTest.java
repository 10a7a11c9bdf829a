package org.hmssync.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.hmssync.config.HubJson;
import org.junit.jupiter.api.Test;

class EventReaderTest {

    final EventReader reader = new EventReader(HubJson.mapper(), 1000);

    @Test
    void moneyStaysExactDecimal() {
        SyncEvent event = read("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"delta_usd\":25.10,\"big_usd\":123456789012345678.99}}");
        assertThat(event.payload().get("delta_usd").decimalValue().toPlainString()).isEqualTo("25.10");
        assertThat(event.payload().get("big_usd").decimalValue().toPlainString()).isEqualTo("123456789012345678.99");
        assertThat(event.json().toString()).contains("25.10").contains("123456789012345678.99");
    }

    @Test
    void trailingZerosBeyondTwoDecimalsAreStillCents() {
        assertThat(read("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"delta_usd\":25.100}}").id()).isEqualTo("a");
    }

    @Test
    void idsThatCouldEscapeAFolderNeverPass() {
        for (String id : new String[] {"..", ".", "../x", "a/b", "a\\\\b", "a\\u0000b", ".env"}) {
            assertThatThrownBy(() -> read("{\"id\":\"" + id + "\",\"type\":\"t\",\"payload\":{}}"))
                    .as(id).isInstanceOf(InvalidEventException.class).hasMessageContaining("id");
        }
    }

    @Test
    void sixtyFourCharactersIsTheLongestId() {
        assertThat(read("{\"id\":\"" + "a".repeat(64) + "\",\"type\":\"t\",\"payload\":{}}").id()).hasSize(64);
    }

    @Test
    void everyBrokenRuleIsListed() {
        assertThatThrownBy(() -> read("{\"id\":\"\",\"type\":\"T\",\"payload\":{\"x_usd\":0.001}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("id", "type", "payload.x_usd"));
    }

    @Test
    void theSizeLimitIsA413() {
        assertThatThrownBy(() -> read("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"n\":\"" + "x".repeat(1000) + "\"}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    private SyncEvent read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
