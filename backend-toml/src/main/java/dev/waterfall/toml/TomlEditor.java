package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.file.Edit;
import org.tomlj.MutableTomlArray;
import org.tomlj.MutableTomlTable;
import org.tomlj.TomlEntry;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlValue;
import org.tomlj.TomlWriteOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of edits to a TOML file, made on tomlj's source-preserving tree so that every line the
 * batch does not touch is written back byte for byte.
 *
 * <p>Where things go:
 * <ul>
 *   <li>A changed value is replaced where it stands. Arrays and tables inside arrays are changed
 *       item by item and member by member, so an array spread over lines keeps its comments and an
 *       array of tables keeps its {@code [[sections]]}. An integer keeps its notation
 *       ({@code 0xff}, {@code 1_000}) and a string its quoting where the new text allows it.</li>
 *   <li>A new key goes into the table it belongs to: after the last key of a {@code [header]}
 *       table or the top-level table, next to its siblings when the table is made of dotted keys
 *       ({@code a.b = 1}), or inside an inline table ({@code x = {a = 1}}). When its table is not
 *       written anywhere (missing, or only implied by a sub-table's header), a {@code [header]} for
 *       it is added at the end of the file.</li>
 *   <li>A removed key takes its line with it, together with its end-of-line comment and the
 *       comment lines directly above it (no blank line between), which describe it. A table that
 *       the removal leaves empty goes too, unless a comment is attached to it.</li>
 * </ul>
 * Line endings and a byte order mark are kept. Not thread-safe: one editor per batch.
 */
final class TomlEditor {

    /** How a table is written, which decides where a new key in it goes. */
    private enum Kind { ROOT, HEADER, DOTTED, INLINE, IMPLIED }

    /** Beyond this many item pairs, arrays are changed position by position rather than matched (memory). */
    private static final long MATCHED_ITEMS_LIMIT = 1_000_000;

    private final TomlParseResult tree;
    private final String text;
    private final String newline;
    private final Map<Key, Value> oldValues;
    private final TextPositions positions;
    /** Tables that get a new {@code [header]} at the end of the file, with their keys in order. */
    private final Map<List<String>, Map<String, Value>> appended = new LinkedHashMap<>();
    /** Inline tables that this batch created inside existing inline tables (tomlj gives them no position). */
    private final Set<List<String>> createdInline = new HashSet<>();

    /**
     * @param tree      tomlj's tree of {@code text}, which this editor changes
     * @param text      the file's text, without byte order mark
     * @param oldValues the file's leaves
     */
    TomlEditor(TomlParseResult tree, String text, Map<Key, Value> oldValues) {
        this.tree = tree;
        this.text = text;
        this.newline = TomlDocument.newlineOf(text);
        this.oldValues = oldValues;
        this.positions = new TextPositions(text);
    }

    /** Makes one edit. */
    void apply(Edit edit) {
        if (edit.isRemove()) {
            remove(edit.key().segments());
        } else {
            put(edit.key(), edit.value().get());
        }
    }

    /** The new text of the file. */
    String render() {
        TomlWriteOptions options = TomlWriteOptions.defaults().withVersion(TomlReader.VERSION).withLineSeparator(newline);
        String main = tree.toToml(options);
        if (!text.startsWith(newline)) {
            while (main.startsWith(newline)) {
                main = main.substring(newline.length()); // the blank line before a table removed from the top
            }
        }
        if (appended.isEmpty()) {
            return main;
        }
        TomlParseResult tail = TomlReader.parseTree("", "the new tables");
        for (Map.Entry<List<String>, Map<String, Value>> table : appended.entrySet()) {
            for (Map.Entry<String, Value> member : table.getValue().entrySet()) {
                tail.set(append(table.getKey(), member.getKey()), TomlValue.parse(TomlValues.literal(member.getValue()), TomlReader.VERSION));
            }
        }
        StringBuilder out = new StringBuilder(main);
        if (!main.isEmpty()) {
            if (!main.endsWith("\n")) {
                out.append(newline);
            }
            if (!main.endsWith(newline + newline) && !main.equals(newline)) {
                out.append(newline);
            }
        }
        return out.append(tail.toToml(options)).toString();
    }

    // ------------------------------------------------------------------ put

    private void put(Key key, Value value) {
        List<String> path = key.segments();
        Value old = oldValues.get(key);
        if (old != null && tree.contains(path) && !tree.isTable(path)) {
            update(new TableSlot(tree, path), old, value);
            return;
        }
        List<String> parent = path.subList(0, path.size() - 1);
        String name = path.get(path.size() - 1);
        if (tree.isTable(path)) {
            // An empty table (the leaf rule leaves no keys under it) becomes the value: in place, with
            // its comments, where its table can hold a plain key; else it goes and the key is placed anew.
            if (kind(parent) != Kind.IMPLIED) {
                tree.set(path, fresh(value));
                return;
            }
            remove(path); // with the implied tables it leaves empty, which tomlj would write as empty [headers]
        }
        int length = parent.size();
        while (length > 0 && !tree.isTable(parent.subList(0, length))) {
            length--;
        }
        Kind kind = kind(parent.subList(0, length));
        if (kind == Kind.INLINE) {
            tree.set(path, fresh(value)); // inline tables hold all of their keys
            for (int created = length + 1; created <= parent.size(); created++) {
                createdInline.add(List.copyOf(parent.subList(0, created)));
            }
        } else if (length == parent.size() && kind != Kind.IMPLIED) {
            tree.set(path, fresh(value));
        } else {
            appendKey(parent, name, value);
        }
    }

    private void appendKey(List<String> table, String name, Value value) {
        appended.computeIfAbsent(List.copyOf(table), t -> new LinkedHashMap<>()).put(name, value);
    }

    /** Changes the value in {@code slot} from {@code old} to {@code value}, touching as little text as it can. */
    private void update(Slot slot, Value old, Value value) {
        if (old.equals(value)) {
            return;
        }
        if (old instanceof ArrayValue oldArray && value instanceof ArrayValue newArray
                && !oldArray.items().isEmpty() && !newArray.items().isEmpty()) {
            boolean sections = slot.isArrayOfTablesSection();
            if (!sections || newArray.items().stream().allMatch(TableValue.class::isInstance)) {
                updateItems(slot.array(), oldArray.items(), newArray.items(), sections);
                return;
            }
        }
        if (old instanceof TableValue oldTable && value instanceof TableValue newTable) {
            MutableTomlTable table = slot.table();
            for (String name : oldTable.members().keySet()) {
                if (!newTable.members().containsKey(name)) {
                    table.remove(List.of(name));
                }
            }
            for (Map.Entry<String, Value> member : newTable.members().entrySet()) {
                Value before = oldTable.members().get(member.getKey());
                if (before != null) {
                    update(new TableSlot(table, List.of(member.getKey())), before, member.getValue());
                } else {
                    table.set(List.of(member.getKey()), fresh(member.getValue()));
                }
            }
            return;
        }
        slot.set(replacement(slot.current(), value));
    }

    /**
     * Turns the items {@code before} of {@code array} into {@code after}. Items that stay are
     * matched first (longest common subsequence), so removing or inserting one item leaves the
     * others, and the comments beside them, where they were; the items in between are changed in
     * place pairwise, and the rest removed or inserted. Works from the end so indices stay valid.
     */
    private void updateItems(MutableTomlArray array, List<Value> before, List<Value> after, boolean sections) {
        List<int[]> matches = (long) before.size() * after.size() <= MATCHED_ITEMS_LIMIT ? matches(before, after) : new ArrayList<>();
        matches.add(new int[] {before.size(), after.size()});
        for (int m = matches.size() - 1; m >= 0; m--) {
            int oldStart = m == 0 ? 0 : matches.get(m - 1)[0] + 1;
            int newStart = m == 0 ? 0 : matches.get(m - 1)[1] + 1;
            int oldEnd = matches.get(m)[0];
            int newEnd = matches.get(m)[1];
            int paired = Math.min(oldEnd - oldStart, newEnd - newStart);
            for (int i = oldEnd - 1; i >= oldStart + paired; i--) {
                array.remove(i);
            }
            for (int k = 0; k < paired; k++) {
                update(new ArraySlot(array, oldStart + k), before.get(oldStart + k), after.get(newStart + k));
            }
            for (int j = newEnd - 1; j >= newStart + paired; j--) {
                Object item = sections ? section((TableValue) after.get(j)) : fresh(after.get(j));
                int at = oldStart + paired;
                if (at < array.size()) {
                    array.insertBefore(at, item);
                } else {
                    array.add(item);
                }
            }
        }
    }

    /** The index pairs of a longest common subsequence of two lists of items. */
    private static List<int[]> matches(List<Value> before, List<Value> after) {
        int[][] common = new int[before.size() + 1][after.size() + 1];
        for (int i = before.size() - 1; i >= 0; i--) {
            for (int j = after.size() - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<int[]> matches = new ArrayList<>();
        for (int i = 0, j = 0; i < before.size() && j < after.size(); ) {
            if (before.get(i).equals(after.get(j))) {
                matches.add(new int[] {i++, j++});
            } else if (common[i + 1][j] >= common[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return matches;
    }

    /** A value for a place that held {@code current}, in its notation where that can hold the new value. */
    private Object replacement(TomlValue current, Value value) {
        if (current != null && current.isLong() && value instanceof NumberValue number && number.isIntegral()) {
            return TomlValue.inNotationOf(current, number.longValueExact()); // 0xff, 0o17, 0b11, 1_000 stay so
        }
        if (current != null && current.isString() && value instanceof StringValue string
                && keepsQuoting(positions.textAt(current.position(), 3), string.value())) {
            return TomlValue.inNotationOf(current, string.value());
        }
        return fresh(value);
    }

    /**
     * Whether a string quoted as {@code opening} shows it can hold {@code text} unescaped: a literal
     * string ('...') without quotes, line breaks or control characters; a multi-line one in a file
     * with LF line endings (tomlj writes LF inside them, so a CRLF file would get mixed endings).
     */
    private boolean keepsQuoting(String opening, String text) {
        boolean multiLine = opening.startsWith("'''") || opening.startsWith("\"\"\"");
        if (multiLine && !newline.equals("\n")) {
            return false;
        }
        if (opening.startsWith("\"") && !multiLine) {
            return false; // our own basic strings escape exactly as TOML 1.0 asks
        }
        boolean literal = opening.startsWith("'");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f;
            if (c == '\r' || (control && !(multiLine && c == '\n'))) {
                return false;
            }
            if (literal && (c == '\'' || c == '\n')) {
                if (!(multiLine && c == '\n')) {
                    return false;
                }
            }
        }
        return !(opening.startsWith("'''") && text.contains("'''"));
    }

    /** A new value: its literal, parsed by tomlj, which keeps the literal's exact text. */
    private static TomlValue fresh(Value value) {
        return TomlValue.parse(TomlValues.literal(value), TomlReader.VERSION);
    }

    /** A table to add to an array of tables written as {@code [[sections]]}: another section. */
    private static MutableTomlTable section(TableValue value) {
        MutableTomlTable table = MutableTomlTable.create();
        for (Map.Entry<String, Value> member : value.members().entrySet()) {
            table.set(List.of(member.getKey()), fresh(member.getValue()));
        }
        return table;
    }

    // ------------------------------------------------------------------ remove

    private void remove(List<String> path) {
        if (!tree.contains(path)) {
            return;
        }
        tree.remove(path);
        for (int length = path.size() - 1; length >= 1; length--) {
            List<String> table = path.subList(0, length);
            if (!tree.isTable(table) || !tree.getTable(table).isEmpty()) {
                return;
            }
            Kind kind = kind(table);
            if ((kind == Kind.HEADER || kind == Kind.INLINE) && !tree.entry(table).comments().isEmpty()) {
                return; // a person's note on the table: keep the table with it
            }
            tree.remove(table);
        }
    }

    // ------------------------------------------------------------------ what is where

    /** How {@code table} is written; a table anywhere inside an inline table is inline too. */
    private Kind kind(List<String> table) {
        if (table.isEmpty()) {
            return Kind.ROOT;
        }
        for (int length = 1; length < table.size(); length++) {
            if (ownKind(table.subList(0, length)) == Kind.INLINE) {
                return Kind.INLINE;
            }
        }
        return ownKind(table);
    }

    private Kind ownKind(List<String> table) {
        if (createdInline.contains(table)) {
            return Kind.INLINE;
        }
        TomlEntry entry = tree.entry(table);
        TomlPosition position = entry == null ? null : entry.value().position();
        if (position == null) {
            return Kind.IMPLIED;
        }
        String opening = positions.textAt(position, 1);
        return opening.equals("[") ? Kind.HEADER : opening.equals("{") ? Kind.INLINE : Kind.DOTTED;
    }

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(name);
        return longer;
    }

    /** A place that holds a value: a key of a table or an item of an array. */
    private interface Slot {
        TomlValue current();

        void set(Object value);

        MutableTomlArray array();

        MutableTomlTable table();

        /** Whether the value here is an array of tables written as {@code [[sections]]}. */
        boolean isArrayOfTablesSection();
    }

    private final class TableSlot implements Slot {
        private final MutableTomlTable table;
        private final List<String> path;

        TableSlot(MutableTomlTable table, List<String> path) {
            this.table = table;
            this.path = path;
        }

        @Override
        public TomlValue current() {
            TomlEntry entry = table.entry(path);
            return entry == null ? null : entry.value();
        }

        @Override
        public void set(Object value) {
            table.set(path, value);
        }

        @Override
        public MutableTomlArray array() {
            return table.getArray(path);
        }

        @Override
        public MutableTomlTable table() {
            return table.getTable(path);
        }

        @Override
        public boolean isArrayOfTablesSection() {
            TomlValue current = current();
            return current != null && current.position() != null && positions.startsLine(current.position())
                    && positions.textAt(current.position(), 2).equals("[[");
        }
    }

    private static final class ArraySlot implements Slot {
        private final MutableTomlArray array;
        private final int index;

        ArraySlot(MutableTomlArray array, int index) {
            this.array = array;
            this.index = index;
        }

        @Override
        public TomlValue current() {
            return array.entry(index).value();
        }

        @Override
        public void set(Object value) {
            array.set(index, value);
        }

        @Override
        public MutableTomlArray array() {
            return array.getArray(index);
        }

        @Override
        public MutableTomlTable table() {
            return array.getTable(index);
        }

        @Override
        public boolean isArrayOfTablesSection() {
            return false;
        }
    }
}
