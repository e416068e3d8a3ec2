package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Key;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.file.Edit;
import org.tomlj.TomlValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The common write, done on the text alone: new values for keys that hold a value on one line
 * ({@code port = 8080 # comment}). The value's characters are replaced and nothing else, exactly
 * what {@link TomlEditor} writes for such a change, without parsing the whole file for the edit or
 * for the check that follows it.
 *
 * <p>The check stays a check of the bytes: the new document's values for the changed keys are
 * read back from the new text, each value parsed on its own by tomlj, never taken from the edit.
 * That is a full reading of the new file because nothing around a replaced value changed: a
 * one-line scalar (a number, a boolean, a date-time, a basic string on one line) standing between
 * {@code =} and the end of its line (or a comment) is replaced by another one-line scalar, so every
 * other token, table and key of the file reads as before. Anything else — a new or removed key, an
 * array, an inline table, a multi-line or literal string, a notation the editor keeps (hex,
 * {@code 1_000}, {@code +1}) — goes the editor's way, which parses the file.
 */
final class TomlSplice {

    /** An integer written the way {@link TomlValues#literal} writes it, so the editor would not keep a notation. */
    private static final Pattern PLAIN_INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");

    private TomlSplice() {
    }

    /** One value's replacement: chars {@code [start, end)} of the old text become {@code literal}. */
    private record Replacement(Key key, int start, int end, String literal) {
    }

    /**
     * The document that {@code edits} make of {@code document} by replacing values in its text, or
     * {@code null} when an edit needs the editor.
     */
    static TomlDocument apply(TomlDocument document, List<Edit> edits) {
        String text = document.text();
        List<Replacement> replacements = new ArrayList<>(edits.size());
        for (Edit edit : edits) {
            if (edit.isRemove()) {
                return null;
            }
            Value old = document.values().get(edit.key());
            Value value = edit.value().orElseThrow();
            if (old == null || !isScalar(old) || !isScalar(value)) {
                return null;
            }
            if (old.equals(value)) {
                continue;
            }
            int start = document.valueStart(edit.key());
            int end = start < 0 ? -1 : scalarEnd(text, start);
            if (end < 0) {
                return null;
            }
            String written = text.substring(start, end);
            TomlValue parsed = parse(written);
            if (parsed == null || !writtenPlainly(written, parsed) || !old.equals(TomlReader.scalar(parsed.get(), written))) {
                return null; // a place this class misjudged, or a notation the editor keeps: the editor knows
            }
            String literal = TomlValues.literal(value);
            if (literal.indexOf('\n') >= 0 || literal.indexOf('\r') >= 0) {
                return null;
            }
            replacements.add(new Replacement(edit.key(), start, end, literal));
        }
        if (replacements.isEmpty()) {
            return null;
        }
        replacements.sort(Comparator.comparingInt(Replacement::start));

        StringBuilder out = new StringBuilder(text.length() + 64);
        int[] oldStarts = new int[replacements.size()];
        int[] shifts = new int[replacements.size()];
        Map<Key, Value> values = new LinkedHashMap<>(document.values());
        int copied = 0;
        int shift = 0;
        for (int i = 0; i < replacements.size(); i++) {
            Replacement replacement = replacements.get(i);
            out.append(text, copied, replacement.start());
            int newStart = out.length();
            out.append(replacement.literal());
            // Read back from the new text, not from the edit: the kernel compares this with what was intended.
            values.put(replacement.key(), read(out.substring(newStart)));
            copied = replacement.end();
            shift += replacement.literal().length() - (replacement.end() - replacement.start());
            oldStarts[i] = replacement.start();
            shifts[i] = shift;
        }
        out.append(text, copied, text.length());

        Map<Key, Integer> starts = new HashMap<>(document.valueStarts().size() * 4 / 3 + 1);
        for (Map.Entry<Key, Integer> start : document.valueStarts().entrySet()) {
            int offset = start.getValue();
            starts.put(start.getKey(), offset + shiftAt(oldStarts, shifts, offset));
        }
        return new TomlDocument(out.toString(), document.byteOrderMark(), values, document.lines(), starts, null);
    }

    /** The new file's bytes for a spliced document. */
    static byte[] bytes(TomlDocument document) {
        String text = document.byteOrderMark() ? "\uFEFF" + document.text() : document.text();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** How far text at {@code offset} moved: the shift of the last replacement that starts before it. */
    private static int shiftAt(int[] oldStarts, int[] shifts, int offset) {
        int low = 0;
        int high = oldStarts.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (oldStarts[middle] < offset) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found < 0 ? 0 : shifts[found];
    }

    private static boolean isScalar(Value value) {
        return !(value instanceof ArrayValue || value instanceof TableValue || value instanceof NullValue);
    }

    /**
     * Whether {@link TomlEditor} would replace a value written so by a fresh literal rather than keep
     * its notation: basic strings on one line, plain decimal integers, and every other scalar.
     */
    private static boolean writtenPlainly(String written, TomlValue parsed) {
        char first = written.charAt(0);
        if (first == '\'') {
            return false;
        }
        if (first == '"') {
            return true; // scalarEnd took no multi-line string
        }
        return !parsed.isLong() || PLAIN_INTEGER.matcher(written).matches();
    }

    /**
     * The end of the one-line scalar that starts at {@code start}, if it is followed by nothing but
     * blanks and a comment on its line; else -1 (not a scalar, on several lines, or in an inline table).
     */
    static int scalarEnd(String text, int start) {
        if (start >= text.length()) {
            return -1;
        }
        char first = text.charAt(start);
        int end;
        if (first == '"') {
            if (text.startsWith("\"\"\"", start)) {
                return -1;
            }
            end = -1;
            for (int i = start + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    end = i + 1;
                    break;
                } else if (c == '\n' || c == '\r') {
                    return -1;
                }
            }
            if (end < 0) {
                return -1;
            }
        } else if (first == '\'' || first == '[' || first == '{') {
            return -1;
        } else {
            int i = start;
            while (i < text.length() && "#\n\r".indexOf(text.charAt(i)) < 0) {
                i++;
            }
            while (i > start && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
                i--;
            }
            end = i;
            if (end == start) {
                return -1;
            }
        }
        int after = end;
        while (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '\t')) {
            after++;
        }
        if (after == text.length() || text.charAt(after) == '#' || text.charAt(after) == '\n' || text.startsWith("\r\n", after)) {
            return end;
        }
        return -1;
    }

    /** The value of one scalar's text, as the reader would read it there; {@code null} if it is not one. */
    private static Value read(String written) {
        TomlValue parsed = parse(written);
        if (parsed == null) {
            return null;
        }
        return TomlReader.scalar(parsed.get(), written);
    }

    private static TomlValue parse(String written) {
        try {
            return TomlValue.parse(written, TomlReader.VERSION);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
