package org.hmssync.adapters.mainframe;

import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;

/** {@code SYNC-HEADER} of routes/mainframe/SYNCREC.cpy: 'H', file id, created date and time (UTC). */
@FixedLengthRecord(length = 80, crlf = "UNIX", paddingChar = ' ')
public class SyncHeaderRecord {

    @DataField(pos = 1, length = 1, align = "L")
    private String recType = "H";

    /** SH-FILE-ID PIC X(40): the file's name without {@code .dat}. */
    @DataField(pos = 2, length = 40, align = "L")
    private String fileId;

    /** SH-CREATED-DATE PIC 9(08): yyyyMMdd. */
    @DataField(pos = 42, length = 8, align = "R", paddingChar = '0')
    private String createdDate;

    /** SH-CREATED-TIME PIC 9(06): HHmmss. */
    @DataField(pos = 50, length = 6, align = "R", paddingChar = '0')
    private String createdTime;

    @DataField(pos = 56, length = 25, align = "L")
    private String filler = "";

    public SyncHeaderRecord() {
    }

    public SyncHeaderRecord(String fileId, String createdDate, String createdTime) {
        this.fileId = fileId;
        this.createdDate = createdDate;
        this.createdTime = createdTime;
    }

    public String getFileId() {
        return fileId;
    }
}
