package org.hmssync.adapters.mainframe;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.dataformat.bindy.fixed.BindyFixedLengthDataFormat;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Renders an event as a flat file of SYNCREC records (header, one D or R record, trailer) with
 * Bindy. Refuses, with the reason, whatever the layout cannot hold exactly: nothing is truncated
 * or rounded.
 */
public final class MainframeRecords {

    static final int EVENT_ID_MAX = 40;
    static final int CLAIMANT_MAX = 16;
    private static final BigDecimal MAX_CENTS = new BigDecimal("99999999999");
    private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]*");
    /** uuuu, the proleptic year: yyyy is the year of era, which prints year 0 as 0001. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    /** PIC 9(08) holds years 0001-9999 as a calendar date the batch can use. */
    private static final int FIRST_YEAR = 1;
    private static final int LAST_YEAR = 9999;

    private final Clock clock;
    private final Charset charset;
    private volatile List<BindyFixedLengthDataFormat> formats;

    /** {@code charset}: US-ASCII, or e.g. IBM037 for an EBCDIC landing zone (HMS_MAINFRAME_CHARSET). */
    public MainframeRecords(Clock clock, Charset charset) {
        this.clock = clock;
        this.charset = charset;
    }

    private volatile org.apache.camel.CamelContext context;

    /** Bindy needs a context to render a batch file outside an adapter call. */
    public void setCamelContext(org.apache.camel.CamelContext context) {
        this.context = context;
    }

    /** {@code <id>.dat}: the adjustment the event makes. */
    public byte[] adjustment(Exchange exchange) throws Exception {
        JsonNode event = exchange.getMessage().getMandatoryBody(JsonNode.class);
        SyncDetailRecord detail = detail(event, SyncDetailRecord.ADJUST, 1);
        return file(exchange, event.path("id").asText(), detail);
    }

    /** {@code <id>.rev.dat}: the same record negated, for an undo after the batch took the file. */
    public byte[] reversal(Exchange exchange) throws Exception {
        JsonNode event = exchange.getMessage().getMandatoryBody(JsonNode.class);
        SyncDetailRecord detail = detail(event, SyncDetailRecord.REVERSAL, -1);
        return file(exchange, event.path("id").asText() + ".rev", detail);
    }

    /**
     * A batch-window file: one header, the D and R records as committed, one trailer with their
     * count and control total. The records are ASCII as rendered by {@link #adjustment}.
     */
    public byte[] batch(String fileId, List<String> records, java.time.Instant closedAt) throws Exception {
        ZonedDateTime at = closedAt.atZone(ZoneOffset.UTC);
        SignedCents cents = new SignedCents.Digits11();
        long total = 0;
        for (String record : records) {
            total += cents.parse(record.substring(59, 71));
        }
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
        List<BindyFixedLengthDataFormat> bindy = formats(exchange);
        ByteArrayOutputStream out = new ByteArrayOutputStream(81 * (records.size() + 2));
        bindy.get(0).marshal(exchange, List.of(new SyncHeaderRecord(fileId, DATE.format(at), TIME.format(at))), out);
        for (String record : records) {
            out.write((record + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        bindy.get(2).marshal(exchange, List.of(new SyncTrailerRecord(records.size(), total)), out);
        return encode(out.toByteArray());
    }

    SyncDetailRecord detail(JsonNode event, String recType, int sign) {
        String id = event.path("id").asText();
        JsonNode payload = event.path("payload");
        if (id.length() > EVENT_ID_MAX) {
            throw new RecordLayoutException("event id has " + id.length() + " characters; SD-EVENT-ID holds " + EVENT_ID_MAX);
        }
        String state = payload.path("state").isTextual() ? payload.get("state").textValue() : null;
        if (state == null || !STATE.matcher(state).matches()) {
            throw new RecordLayoutException("payload.state must be two letters A-Z for SD-STATE, was " + printable(state));
        }
        String claimant = claimant(payload);
        JsonNode delta = payload.get("delta_usd");
        if (delta == null || !delta.isNumber()) {
            throw new RecordLayoutException("payload.delta_usd (a number of US dollars) is required for SD-AMOUNT-CENTS");
        }
        BigDecimal cents = delta.decimalValue().movePointRight(2).stripTrailingZeros();
        if (cents.scale() > 0) {
            throw new RecordLayoutException("payload.delta_usd " + delta.decimalValue().toPlainString() + " is not a whole number of cents");
        }
        if (cents.abs().compareTo(MAX_CENTS) > 0) {
            throw new RecordLayoutException("payload.delta_usd " + delta.decimalValue().toPlainString() + " does not fit SD-AMOUNT-CENTS (at most 999999999.99)");
        }
        return new SyncDetailRecord(recType, id, state, claimant, cents.longValueExact() * sign, effectiveDate(event));
    }

    /**
     * SD-CLAIMANT-ID: an event without {@code claimant_id} (a state-wide adjustment) leaves it
     * blank, as the copybook's file description says. One that has it must give text the field
     * holds exactly: a JSON object or number, or blank text, is refused instead of written as spaces.
     */
    private static String claimant(JsonNode payload) {
        JsonNode value = payload.get("claimant_id");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RecordLayoutException("payload.claimant_id must be text for SD-CLAIMANT-ID, was a JSON " + value.getNodeType().name().toLowerCase());
        }
        String claimant = value.textValue();
        if (claimant.isBlank()) {
            throw new RecordLayoutException("payload.claimant_id is blank; leave it out for an adjustment without a claimant");
        }
        if (!PRINTABLE_ASCII.matcher(claimant).matches() || claimant.length() > CLAIMANT_MAX) {
            throw new RecordLayoutException("payload.claimant_id must be at most " + CLAIMANT_MAX + " plain ASCII characters for SD-CLAIMANT-ID");
        }
        return claimant;
    }

    private String effectiveDate(JsonNode event) {
        LocalDate day = event.hasNonNull("occurred_at")
                ? OffsetDateTime.parse(event.get("occurred_at").asText()).atZoneSameInstant(ZoneOffset.UTC).toLocalDate()
                : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (day.getYear() < FIRST_YEAR || day.getYear() > LAST_YEAR) {
            throw new RecordLayoutException("occurred_at falls in year " + day.getYear() + "; SD-EFFECTIVE-DATE holds years "
                    + FIRST_YEAR + "-" + LAST_YEAR);
        }
        return DATE.format(day);
    }

    private byte[] file(Exchange exchange, String fileId, SyncDetailRecord detail) throws Exception {
        if (fileId.length() > EVENT_ID_MAX) {
            throw new RecordLayoutException("file id " + fileId + " has " + fileId.length() + " characters; SH-FILE-ID holds " + EVENT_ID_MAX);
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        List<BindyFixedLengthDataFormat> bindy = formats(exchange);
        ByteArrayOutputStream out = new ByteArrayOutputStream(3 * 81);
        bindy.get(0).marshal(exchange, List.of(new SyncHeaderRecord(fileId, DATE.format(now), TIME.format(now))), out);
        bindy.get(1).marshal(exchange, List.of(detail), out);
        bindy.get(2).marshal(exchange, List.of(new SyncTrailerRecord(1, detail.getAmountCents())), out);
        return encode(out.toByteArray());
    }

    /** The records are plain ASCII by construction (refused otherwise), so re-encoding is exact. */
    private byte[] encode(byte[] ascii) {
        return charset.equals(StandardCharsets.US_ASCII) ? ascii : new String(ascii, StandardCharsets.US_ASCII).getBytes(charset);
    }

    private List<BindyFixedLengthDataFormat> formats(Exchange exchange) {
        if (formats == null) {
            synchronized (this) {
                if (formats == null) {
                    List<BindyFixedLengthDataFormat> made = List.of(
                            new BindyFixedLengthDataFormat(SyncHeaderRecord.class),
                            new BindyFixedLengthDataFormat(SyncDetailRecord.class),
                            new BindyFixedLengthDataFormat(SyncTrailerRecord.class));
                    made.forEach(f -> {
                        f.setCamelContext(exchange.getContext() != null ? exchange.getContext() : context);
                        ServiceHelper.startService(f);
                    });
                    formats = made;
                }
            }
        }
        return formats;
    }

    private static String printable(String s) {
        return s == null ? "absent" : "'" + s.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }
}
