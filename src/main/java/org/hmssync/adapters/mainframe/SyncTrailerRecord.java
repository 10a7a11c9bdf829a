package org.hmssync.adapters.mainframe;

import org.apache.camel.dataformat.bindy.annotation.BindyConverter;
import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;

/** {@code SYNC-TRAILER}: count of D and R records and the sum of their cents. */
@FixedLengthRecord(length = 80, crlf = "UNIX", paddingChar = ' ')
public class SyncTrailerRecord {

    @DataField(pos = 1, length = 1, align = "L")
    private String recType = "T";

    /** ST-RECORD-COUNT PIC 9(09). */
    @DataField(pos = 2, length = 9, align = "R", paddingChar = '0')
    private Long recordCount;

    /** ST-TOTAL-CENTS PIC S9(15) SIGN LEADING SEPARATE. */
    @DataField(pos = 11, length = 16)
    @BindyConverter(SignedCents.Digits15.class)
    private Long totalCents;

    @DataField(pos = 27, length = 54, align = "L")
    private String filler = "";

    public SyncTrailerRecord() {
    }

    public SyncTrailerRecord(long recordCount, long totalCents) {
        this.recordCount = recordCount;
        this.totalCents = totalCents;
    }
}
