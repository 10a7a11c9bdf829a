package org.hmssync.adapters.mainframe;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.dataformat.bindy.annotation.DataField;

/**
 * The mainframe team's copybook (the routes folder's {@code mainframe/SYNCREC.cpy}) against the
 * records the hub writes: each 01 group's 05 items, in order, at the offset and length the record
 * class gives them. The hub adapts to the copybook, so a copybook that moved a field stops the start
 * (and {@code validate}) with one line per difference, before a file the batch would misread is written.
 */
public final class CopybookCheck {

    private static final Pattern GROUP = Pattern.compile("^\\s+01\\s+([A-Z0-9-]+)");
    private static final Pattern ITEM = Pattern.compile("^\\s+05\\s+([A-Z0-9-]+)\\s+PIC\\s+(S?)([X9])\\((\\d+)\\)");
    private static final Map<String, Class<?>> RECORDS = Map.of(
            "SYNC-HEADER", SyncHeaderRecord.class, "SYNC-DETAIL", SyncDetailRecord.class, "SYNC-TRAILER", SyncTrailerRecord.class);

    private CopybookCheck() {
    }

    /** One item of the copybook: its name, 1-based offset and length in bytes (a separate sign counted). */
    record Item(String name, int offset, int length) { }

    /** The differences between the copybook's text and the hub's records; empty when they agree. {@code where}: the file, for the lines. */
    public static List<String> problems(List<String> copybook, String where) {
        Map<String, List<Item>> layouts = parse(copybook);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Class<?>> record : RECORDS.entrySet()) {
            List<Item> items = layouts.get(record.getKey());
            if (items == null) {
                problems.add(where + ": no 01 " + record.getKey() + " group; the hub writes " + record.getValue().getSimpleName());
                continue;
            }
            List<Field> fields = Arrays.stream(record.getValue().getDeclaredFields()).filter(f -> f.isAnnotationPresent(DataField.class))
                    .sorted(Comparator.comparingInt(f -> f.getAnnotation(DataField.class).pos())).toList();
            if (fields.size() != items.size()) {
                problems.add(where + ": " + record.getKey() + " has " + items.size() + " items; the hub writes " + fields.size());
                continue;
            }
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                DataField field = fields.get(i).getAnnotation(DataField.class);
                if (field.pos() != item.offset() || field.length() != item.length()) {
                    problems.add(where + ": " + record.getKey() + " " + item.name() + " is at " + item.offset() + " for " + item.length()
                            + " bytes; the hub writes " + fields.get(i).getName() + " at " + field.pos() + " for " + field.length());
                }
            }
        }
        return problems;
    }

    /** This copybook's subset: 01 groups of 05 PIC X/9/S9 items, a sign leading separate counting one byte. */
    static Map<String, List<Item>> parse(List<String> lines) {
        Map<String, List<Item>> layouts = new LinkedHashMap<>();
        List<Item> current = null;
        int offset = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("*>")) {
                continue;
            }
            Matcher group = GROUP.matcher(line);
            if (group.find()) {
                current = new ArrayList<>();
                layouts.put(group.group(1), current);
                offset = 1;
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (item.find() && current != null) {
                boolean separate = !item.group(2).isEmpty() && (line.contains("SIGN LEADING SEPARATE")
                        || (i + 1 < lines.size() && lines.get(i + 1).contains("SIGN LEADING SEPARATE")));
                int length = Integer.parseInt(item.group(4)) + (separate ? 1 : 0);
                current.add(new Item(item.group(1), offset, length));
                offset += length;
            }
        }
        return layouts;
    }
}
