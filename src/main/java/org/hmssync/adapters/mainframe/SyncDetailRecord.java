package org.hmssync.adapters.mainframe;

import org.apache.camel.dataformat.bindy.annotation.BindyConverter;
import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;

/** {@code SYNC-DETAIL}: a 'D' adjustment or an 'R' reversal, amounts in cents. */
@FixedLengthRecord(length = 80, crlf = "UNIX", paddingChar = ' ')
public class SyncDetailRecord {

    public static final String ADJUST = "D";
    public static final String REVERSAL = "R";

    @DataField(pos = 1, length = 1, align = "L")
    private String recType;

    /** SD-EVENT-ID PIC X(40). */
    @DataField(pos = 2, length = 40, align = "L")
    private String eventId;

    /** SD-STATE PIC X(02). */
    @DataField(pos = 42, length = 2, align = "L")
    private String state;

    /** SD-CLAIMANT-ID PIC X(16): spaces when the payload has none. */
    @DataField(pos = 44, length = 16, align = "L")
    private String claimantId;

    /** SD-AMOUNT-CENTS PIC S9(11) SIGN LEADING SEPARATE: sign, then 11 digits. */
    @DataField(pos = 60, length = 12)
    @BindyConverter(SignedCents.Digits11.class)
    private Long amountCents;

    /** SD-EFFECTIVE-DATE PIC 9(08): yyyyMMdd. */
    @DataField(pos = 72, length = 8, align = "R", paddingChar = '0')
    private String effectiveDate;

    @DataField(pos = 80, length = 1, align = "L")
    private String filler = "";

    public SyncDetailRecord() {
    }

    public SyncDetailRecord(String recType, String eventId, String state, String claimantId, long amountCents, String effectiveDate) {
        this.recType = recType;
        this.eventId = eventId;
        this.state = state;
        this.claimantId = claimantId == null ? "" : claimantId;
        this.amountCents = amountCents;
        this.effectiveDate = effectiveDate;
    }

    public long getAmountCents() {
        return amountCents;
    }
}
