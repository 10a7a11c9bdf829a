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

    @Test
    void numbersThatCouldNotBeReadBackAreRefusedNamingTheirField() {
        // 1e1000 is 1,001 digits once written plainly: more than the reader takes back
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"delta_usd\":1e1000}}", "payload.delta_usd");
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"delta_usd\":1e10000}}", "payload.delta_usd");
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"count\":1e1000}}", "payload.count");
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"rows\":[1,{\"n\":-1e-2000}]}}", "payload.rows[1].n");
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{},\"extra\":1e5000}", "extra");
    }

    @Test
    void aTinyExponentIsRefusedWithoutBuildingItsBillionDigits() {
        // 97 bytes that once cost an OutOfMemoryError while the error message was built
        assertThatThrownBy(() -> read("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"delta_usd\":1e-999999999}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.violations()).extracting(Violation::field).containsExactly("payload.delta_usd");
                    assertThat(e.getMessage()).hasSizeLessThan(300);
                });
    }

    @Test
    void numbersUpToTheReadersLimitAreKeptExactly() {
        String digits = "9".repeat(1000);
        SyncEvent event = new EventReader(HubJson.mapper(), 4000).read(("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"big\":" + digits + ",\"e\":1E+3,\"delta_usd\":-0.5}}").getBytes(StandardCharsets.UTF_8));
        assertThat(event.payload().get("big").bigIntegerValue().toString()).isEqualTo(digits);
        assertThat(event.payload().get("e").decimalValue()).isEqualByComparingTo("1000");
    }

    @Test
    void textThatIsNotValidUnicodeIsRefused() {
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"note\":\"x\\ud800y\"}}", "payload.note");
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"note\":\"\\udc00\"}}", "payload.note");
        assertThat(read("{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"note\":\"\\ud83d\\ude00\"}}").payload().get("note").asText())
                .isEqualTo("\ud83d\ude00");
    }

    @Test
    void aTypeNoAdapterFollowsIsRefusedNamingType() {
        EventReader routed = new EventReader(HubJson.mapper(), 1000, "benefit_adjusted"::equals);
        assertThatThrownBy(() -> routed.read("{\"id\":\"a\",\"type\":\"benefit_adjustd\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::field).containsExactly("type");
                    assertThat(e.getMessage()).contains("benefit_adjustd");
                });
        assertThat(routed.read("{\"id\":\"a\",\"type\":\"benefit_adjusted\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8)).type())
                .isEqualTo("benefit_adjusted");
    }

    @Test
    void aBatchIdFollowsTheRulesOfAnId() {
        assertRefused("{\"id\":\"a\",\"type\":\"t\",\"batch_id\":\"../ohio\",\"payload\":{}}", "batch_id");
        assertThat(read("{\"id\":\"a\",\"type\":\"t\",\"batch_id\":\"ohio-fix\",\"payload\":{}}").json().get("batch_id").asText())
                .isEqualTo("ohio-fix");
    }

    private void assertRefused(String json, String field) {
        assertThatThrownBy(() -> read(json)).as(json).isInstanceOfSatisfying(InvalidEventException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.violations()).extracting(Violation::field).containsExactly(field);
        });
    }
}
