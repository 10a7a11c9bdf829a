package org.hmssync.adapters.mainframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignedCentsTest {

    final SignedCents s11 = new SignedCents.Digits11();

    @Test
    void signLeadsAndDigitsAreZeroFilled() {
        assertThat(s11.format(2500L)).isEqualTo("+00000002500");
        assertThat(s11.format(-350L)).isEqualTo("-00000000350");
        assertThat(s11.format(0L)).isEqualTo("+00000000000");
        assertThat(s11.format(99_999_999_999L)).isEqualTo("+99999999999");
    }

    @Test
    void whatDoesNotFitIsRefusedNotCut() {
        assertThatThrownBy(() -> s11.format(100_000_000_000L)).hasMessageContaining("does not fit");
    }

    @Test
    void parsesWhatItWrites() {
        assertThat(s11.parse("-00000000350")).isEqualTo(-350L);
        assertThatThrownBy(() -> s11.parse("00000000350")).isInstanceOf(IllegalArgumentException.class);
    }
}
