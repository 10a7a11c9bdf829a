package org.hmssync.adapters.mainframe;

import org.apache.camel.dataformat.bindy.Format;

/**
 * COBOL {@code PIC S9(n) SIGN LEADING SEPARATE}: a '+' or '-' then exactly n digits. A value that
 * does not fit is refused, never cut.
 */
public abstract class SignedCents implements Format<Long> {

    private final int digits;

    protected SignedCents(int digits) {
        this.digits = digits;
    }

    @Override
    public String format(Long cents) {
        String magnitude = Long.toString(Math.abs(cents));
        if (magnitude.length() > digits || cents == Long.MIN_VALUE) {
            throw new IllegalArgumentException(cents + " cents does not fit S9(" + digits + ")");
        }
        return (cents < 0 ? "-" : "+") + "0".repeat(digits - magnitude.length()) + magnitude;
    }

    @Override
    public Long parse(String text) {
        if (text.length() != digits + 1 || (text.charAt(0) != '+' && text.charAt(0) != '-')) {
            throw new IllegalArgumentException("'" + text + "' is not S9(" + digits + ") SIGN LEADING SEPARATE");
        }
        long value = Long.parseLong(text.substring(1));
        return text.charAt(0) == '-' ? -value : value;
    }

    /** S9(11): the largest amount is 999,999,999.99 dollars. */
    public static final class Digits11 extends SignedCents {
        public static final int DIGITS = 11;

        public Digits11() {
            super(DIGITS);
        }
    }

    public static final class Digits15 extends SignedCents {
        public Digits15() {
            super(15);
        }
    }
}
