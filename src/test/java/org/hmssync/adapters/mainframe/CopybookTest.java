package org.hmssync.adapters.mainframe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.dataformat.bindy.annotation.BindyConverter;
import org.apache.camel.dataformat.bindy.annotation.DataField;
import org.apache.camel.dataformat.bindy.annotation.FixedLengthRecord;
import org.junit.jupiter.api.Test;

/**
 * The copybook is the mainframe team's; the hub adapts to it. The shipped copy is theirs byte for
 * byte, and the Bindy model agrees with it field by field: name, offset, length, type, sign.
 */
class CopybookTest {

    static final Path SHIPPED = Path.of("routes/mainframe/SYNCREC.cpy");
    /** SHA-256 of the mainframe team's SYNCREC.cpy as handed over. */
    static final String THEIRS_SHA256 = "bb407dc42f22ab8ba5d60e5bafbc6850cace0f04ff6ebaaee4404679a5ec8022";
    static final Path THEIRS = Path.of("../shared/mainframe/SYNCREC.cpy");

    record CopyField(String name, int offset, int length, char type, boolean signLeadingSeparate) { }

    @Test
    void theShippedCopybookIsTheMainframeTeams() throws Exception {
        byte[] shipped = Files.readAllBytes(SHIPPED);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(shipped))).isEqualTo(THEIRS_SHA256);
        if (Files.exists(THEIRS)) {
            assertThat(shipped).isEqualTo(Files.readAllBytes(THEIRS));
        }
    }

    @Test
    void theBindyModelMatchesTheCopybookFieldByField() throws Exception {
        Map<String, List<CopyField>> layouts = parse(Files.readAllLines(SHIPPED));
        check(layouts.get("SYNC-HEADER"), SyncHeaderRecord.class);
        check(layouts.get("SYNC-DETAIL"), SyncDetailRecord.class);
        check(layouts.get("SYNC-TRAILER"), SyncTrailerRecord.class);
    }

    @Test
    void theStartUpCheckAgreesWithTheShippedCopybookAndNamesAMovedField() throws Exception {
        List<String> shipped = Files.readAllLines(SHIPPED);
        assertThat(CopybookCheck.problems(shipped, "SYNCREC.cpy")).isEmpty();
        // the mainframe team widens the claimant id: every detail field after it moves
        List<String> widened = shipped.stream().map(l -> l.contains("SD-CLAIMANT-ID") ? l.replaceFirst("X\\((\\d+)\\)", "X(21)") : l).toList();
        assertThat(widened).isNotEqualTo(shipped);
        assertThat(CopybookCheck.problems(widened, "SYNCREC.cpy")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("SYNCREC.cpy: SYNC-DETAIL"))
                .anySatisfy(p -> assertThat(p).contains("SD-CLAIMANT-ID is at").contains("for 21 bytes"));
    }

    private static void check(List<CopyField> copy, Class<?> model) throws Exception {
        assertThat(model.getAnnotation(FixedLengthRecord.class).length()).isEqualTo(80);
        List<Field> fields = Arrays.stream(model.getDeclaredFields()).filter(f -> f.isAnnotationPresent(DataField.class))
                .sorted(Comparator.comparingInt(f -> f.getAnnotation(DataField.class).pos())).toList();
        assertThat(fields).as(model.getSimpleName() + " fields").hasSameSizeAs(copy);
        for (int i = 0; i < copy.size(); i++) {
            CopyField c = copy.get(i);
            Field f = fields.get(i);
            DataField d = f.getAnnotation(DataField.class);
            String where = model.getSimpleName() + "." + f.getName() + " vs " + c.name();
            assertThat(f.getName()).as(where).isEqualTo(javaName(c.name(), i));
            assertThat(d.pos()).as(where + " offset").isEqualTo(c.offset());
            assertThat(d.length()).as(where + " length").isEqualTo(c.length());
            if (c.type() == 'X') {
                assertThat(f.getType()).as(where).isEqualTo(String.class);
                assertThat(d.align()).as(where + " left-justified").isIn("L", "");
            } else if (c.signLeadingSeparate()) {
                BindyConverter converter = f.getAnnotation(BindyConverter.class);
                assertThat(converter).as(where + " sign leading separate").isNotNull();
                SignedCents format = (SignedCents) converter.value().getDeclaredConstructor().newInstance();
                assertThat(format.format(-1L)).as(where).hasSize(c.length()).startsWith("-");
            } else {
                assertThat(d.paddingChar()).as(where + " zero-filled").isEqualTo('0');
                assertThat(d.align()).as(where + " right-justified").isEqualTo("R");
            }
        }
    }

    /** SD-EVENT-ID becomes eventId; the first FILLER is the record type, the others filler. */
    private static String javaName(String cobol, int index) {
        if (cobol.equals("FILLER")) {
            return index == 0 ? "recType" : "filler";
        }
        String[] parts = cobol.substring(3).toLowerCase(Locale.ROOT).split("-");
        StringBuilder name = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            name.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return name.toString();
    }

    /** A small reader for this copybook's subset: 01 groups of 05 PIC X/9/S9 items. */
    static Map<String, List<CopyField>> parse(List<String> lines) {
        Pattern group = Pattern.compile("^\\s+01\\s+([A-Z0-9-]+)");
        Pattern item = Pattern.compile("^\\s+05\\s+([A-Z0-9-]+)\\s+PIC\\s+(S?)([X9])\\((\\d+)\\)");
        Map<String, List<CopyField>> layouts = new LinkedHashMap<>();
        List<CopyField> current = null;
        int offset = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("*>")) {
                continue;
            }
            Matcher g = group.matcher(line);
            if (g.find()) {
                current = new ArrayList<>();
                layouts.put(g.group(1), current);
                offset = 1;
                continue;
            }
            Matcher m = item.matcher(line);
            if (m.find() && current != null) {
                boolean signed = !m.group(2).isEmpty();
                boolean separate = signed && (line.contains("SIGN LEADING SEPARATE")
                        || (i + 1 < lines.size() && lines.get(i + 1).contains("SIGN LEADING SEPARATE")));
                int length = Integer.parseInt(m.group(4)) + (separate ? 1 : 0);
                current.add(new CopyField(m.group(1), offset, length, m.group(3).charAt(0), separate));
                offset += length;
            }
        }
        layouts.values().forEach(l -> assertThat(l.stream().mapToInt(CopyField::length).sum()).isEqualTo(80));
        return layouts;
    }
}
