package dev.waterfall.config.rows;

import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.ValueType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks and makes the canonical text forms that stores keep and dumps show, by hand and with
 * little allocation, for the paths that handle millions of rows ({@link RawEntrySource}): whether
 * JSON text is exactly what {@link JsonValues#write JsonValues.write(value, false)} makes, and the
 * canonical text of an instant.
 *
 * <p>Stateless; thread-safe.
 */
public final class CanonicalText {

    /** Longer JSON texts (in bytes) are not checked here (the caller decodes them); well within Jackson's limits. */
    private static final int MAX_CHECKED_LENGTH = 1_000_000;
    /** Deeper nesting is not checked here; well within {@link JsonValues#MAX_DEPTH}. */
    private static final int MAX_CHECKED_DEPTH = 64;
    /** Longer member names and number literals (in bytes) are not checked here; well within Jackson's limits. */
    private static final int MAX_CHECKED_TOKEN = 1_000;
    /** Tables with more members are not checked here (the duplicate check compares every pair). */
    private static final int MAX_CHECKED_MEMBERS = 64;

    private CanonicalText() {
    }

    /**
     * The type of the value whose JSON is the UTF-8 text {@code utf8[start, end)}, if those bytes are
     * well-formed UTF-8 and exactly what {@link JsonValues#write JsonValues.write(value, false)}
     * writes for a value that JSON alone describes (no type label needed); {@code null} otherwise:
     * ill-formed UTF-8, not canonical (white space, a needless escape, upper-case hex), not valid
     * JSON, a table with a duplicate member name, or beyond what this check handles (very long or
     * deep text). A {@code null} tells the caller to decode the text the full way, which also reports
     * what is wrong with it. Works on the bytes as a store hands them over, so that checking a row
     * makes no objects.
     *
     * @param utf8 the bytes, or {@code null} (then {@code null})
     * @throws IndexOutOfBoundsException if the range is not within {@code utf8}
     */
    public static ValueType jsonType(byte[] utf8, int start, int end) {
        if (utf8 == null) {
            return null;
        }
        Objects.checkFromToIndex(start, end, utf8.length);
        if (start == end || end - start > MAX_CHECKED_LENGTH || value(utf8, start, end, 0) != end) {
            return null;
        }
        return switch (utf8[start]) {
            case '"' -> ValueType.STRING;
            case '[' -> ValueType.ARRAY;
            case '{' -> ValueType.TABLE;
            case 't', 'f' -> ValueType.BOOLEAN;
            case 'n' -> ValueType.NULL;
            default -> ValueType.NUMBER;
        };
    }

    /** The index after the canonical value at {@code at}, or -1; nothing at or after {@code end} is read. */
    private static int value(byte[] s, int at, int end, int depth) {
        if (at >= end) {
            return -1;
        }
        switch (s[at]) {
            case '"':
                return string(s, at, end, MAX_CHECKED_LENGTH);
            case '[':
                return array(s, at, end, depth);
            case '{':
                return table(s, at, end, depth);
            case 't':
                return literal(s, at, end, "true");
            case 'f':
                return literal(s, at, end, "false");
            case 'n':
                return literal(s, at, end, "null");
            default:
                return number(s, at, end);
        }
    }

    private static int literal(byte[] s, int at, int end, String word) {
        int wordEnd = at + word.length();
        if (wordEnd > end) {
            return -1;
        }
        for (int i = 0; i < word.length(); i++) {
            if (s[at + i] != word.charAt(i)) {
                return -1;
            }
        }
        return wordEnd;
    }

    private static int array(byte[] s, int at, int end, int depth) {
        if (depth >= MAX_CHECKED_DEPTH) {
            return -1;
        }
        int i = at + 1;
        if (i < end && s[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = value(s, i, end, depth + 1);
            if (i < 0 || i >= end) {
                return -1;
            }
            byte c = s[i++];
            if (c == ']') {
                return i;
            }
            if (c != ',') {
                return -1;
            }
        }
    }

    private static int table(byte[] s, int at, int end, int depth) {
        if (depth >= MAX_CHECKED_DEPTH) {
            return -1;
        }
        int i = at + 1;
        if (i < end && s[i] == '}') {
            return i + 1;
        }
        int[] names = null; // start, end of each member name, for the duplicate check
        int count = 0;
        while (true) {
            if (i >= end || s[i] != '"') {
                return -1;
            }
            int nameEnd = string(s, i, end, MAX_CHECKED_TOKEN);
            if (nameEnd < 0) {
                return -1;
            }
            if (count > 0) {
                if (count == MAX_CHECKED_MEMBERS) {
                    return -1;
                }
                // Canonical text spells each string one way only, so equal names are equal bytes.
                for (int n = 0; n < count; n++) {
                    if (Arrays.equals(s, names[2 * n], names[2 * n + 1], s, i, nameEnd)) {
                        return -1;
                    }
                }
            } else {
                names = new int[2 * MAX_CHECKED_MEMBERS];
            }
            names[2 * count] = i;
            names[2 * count + 1] = nameEnd;
            count++;
            i = nameEnd;
            if (i >= end || s[i] != ':') {
                return -1;
            }
            i = value(s, i + 1, end, depth + 1);
            if (i < 0 || i >= end) {
                return -1;
            }
            byte c = s[i++];
            if (c == '}') {
                return i;
            }
            if (c != ',') {
                return -1;
            }
        }
    }

    /**
     * A string as {@link JsonValues#appendString} writes it with non-ASCII characters kept, in
     * well-formed UTF-8, of at most {@code maxLength} bytes with its quotes.
     */
    private static int string(byte[] s, int at, int end, int maxLength) {
        int limit = end - at > maxLength ? at + maxLength : end;
        int i = at + 1;
        while (i < limit) {
            byte c = s[i];
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i = escape(s, i + 1, limit);
            } else if (c >= 0) {
                if (c < 0x20 || c == 0x7f) {
                    return -1;
                }
                i++;
            } else {
                i = isLineOrParagraphSeparator(s, i, limit) ? -1 : character(s, i, limit);
            }
            if (i < 0) {
                return -1;
            }
        }
        return -1;
    }

    /** The index after the escape whose letter is at {@code at} (after the backslash), or -1 if {@link JsonValues#appendString} would not write it. */
    private static int escape(byte[] s, int at, int limit) {
        if (at >= limit) {
            return -1;
        }
        switch (s[at]) {
            case '"', '\\', 'n', 'r', 't', 'b', 'f' -> {
                return at + 1;
            }
            case 'u' -> {
                if (at + 4 >= limit) {
                    return -1;
                }
                int code = 0;
                for (int h = 1; h <= 4; h++) {
                    byte digit = s[at + h];
                    int nibble = digit >= '0' && digit <= '9' ? digit - '0' : digit >= 'a' && digit <= 'f' ? digit - 'a' + 10 : -1;
                    if (nibble < 0) {
                        return -1;
                    }
                    code = code << 4 | nibble;
                }
                return escapedAsHex(code) ? at + 5 : -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /** Whether {@link JsonValues#appendString} writes this character as {@code \\uXXXX} when non-ASCII characters are kept. */
    private static boolean escapedAsHex(int c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\b' && c != '\f' || c == 0x7f || c == 0x2028 || c == 0x2029;
    }

    /** Whether U+2028 or U+2029 (E2 80 A8/A9) is at {@code at}: {@link JsonValues#appendString} escapes them. */
    private static boolean isLineOrParagraphSeparator(byte[] s, int at, int limit) {
        return limit - at >= 3 && s[at] == (byte) 0xe2 && s[at + 1] == (byte) 0x80 && (s[at + 2] == (byte) 0xa8 || s[at + 2] == (byte) 0xa9);
    }

    /**
     * The index after the well-formed UTF-8 sequence of a non-ASCII character at {@code at}, or -1:
     * a lead byte C2..F4, then 1 to 3 continuation bytes 80..BF, where the second byte's range is
     * narrower after E0 (A0..), ED (..9F), F0 (90..) and F4 (..8F). That rules out overlong forms,
     * surrogates (which a canonical text cannot hold: UTF-8 has no lone surrogate, and a pair is one
     * 4-byte character) and code points above U+10FFFF, as the Unicode standard's table 3-7 does.
     */
    private static int character(byte[] s, int at, int limit) {
        int lead = s[at] & 0xff;
        int continuations;
        int low = 0x80;
        int high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            continuations = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            continuations = 2;
            low = lead == 0xe0 ? 0xa0 : low;
            high = lead == 0xed ? 0x9f : high;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            continuations = 3;
            low = lead == 0xf0 ? 0x90 : low;
            high = lead == 0xf4 ? 0x8f : high;
        } else {
            return -1;
        }
        if (limit - at <= continuations) {
            return -1;
        }
        int second = s[at + 1] & 0xff;
        if (second < low || second > high) {
            return -1;
        }
        for (int i = at + 2; i <= at + continuations; i++) {
            if ((s[i] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return at + continuations + 1;
    }

    /** A number literal of JSON's grammar, {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}. */
    private static int number(byte[] s, int at, int end) {
        int i = at;
        if (i < end && s[i] == '-') {
            i++;
        }
        if (i >= end) {
            return -1;
        }
        if (s[i] == '0') {
            i++;
        } else if (isDigit(s[i])) {
            i = afterDigits(s, i, end);
        } else {
            return -1;
        }
        if (i < end && s[i] == '.') {
            int start = ++i;
            i = afterDigits(s, i, end);
            if (i == start) {
                return -1;
            }
        }
        if (i < end && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < end && (s[i] == '+' || s[i] == '-')) {
                i++;
            }
            int start = i;
            i = afterDigits(s, i, end);
            if (i == start) {
                return -1;
            }
        }
        return i - at > MAX_CHECKED_TOKEN ? -1 : i;
    }

    private static int afterDigits(byte[] s, int at, int end) {
        int i = at;
        while (i < end && isDigit(s[i])) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The canonical text of an instant: {@link Instant#toString()} of the instant cut to the
     * microsecond ({@code 2026-01-02T03:04:05Z}, {@code ...05.120Z}, {@code ...05.000001Z}), the
     * finest time every store keeps.
     */
    public static String instant(long epochSecond, int nano) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // The civil date of a day count (H. Hinnant's days_from_civil, inverted), in the proleptic Gregorian calendar.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return Instant.ofEpochSecond(epochSecond, nano).truncatedTo(ChronoUnit.MICROS).toString(); // its own year forms
        }
        int micros = nano / 1000;
        byte[] out = new byte[canonicalLength(micros)];
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        fractionAndZone(out, 0, micros);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** The length of the canonical text of an instant with these microseconds: no fraction, milliseconds or microseconds. */
    private static int canonicalLength(int micros) {
        return micros == 0 ? 20 : micros % 1000 == 0 ? 24 : 27;
    }

    /** Writes the fraction of the second, if any, and the {@code Z} after the seconds of a canonical text that starts at {@code at}. */
    private static void fractionAndZone(byte[] out, int at, int micros) {
        int length = canonicalLength(micros);
        if (length == 24) {
            out[at + 19] = '.';
            digits(out, at + 20, micros / 1000, 3);
        } else if (length == 27) {
            out[at + 19] = '.';
            digits(out, at + 20, micros, 6);
        }
        out[at + length - 1] = 'Z';
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The canonical text ({@link #instant(long, int)}) of the instant that {@link Instant#parse}
     * reads from {@code text}. The usual form is rewritten by
     * {@link #instant(byte[], int, int, byte[], int)} (and returned as it is when it already is
     * canonical); any other goes through {@code Instant.parse}.
     *
     * @throws java.time.format.DateTimeParseException if {@code Instant.parse} cannot read it
     */
    public static String instant(String text) {
        // The usual form is ASCII. Any other character becomes a byte that form has no place for
        // ('?', or one beyond ASCII), so the bytes are the usual form exactly when the text is.
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[27];
        int length = instant(bytes, 0, bytes.length, out, 0);
        if (length >= 0) {
            return Arrays.equals(out, 0, length, bytes, 0, bytes.length) ? text : new String(out, 0, length, StandardCharsets.ISO_8859_1);
        }
        Instant parsed = Instant.parse(text);
        return instant(parsed.getEpochSecond(), parsed.getNano());
    }

    /**
     * Writes the canonical text ({@link #instant(long, int)}) of the instant in the ASCII text
     * {@code text[start, end)} to {@code out} at {@code at} and returns its length (20, 24 or 27
     * bytes; {@code out} must have room for 27), if the text is in the usual form,
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} with 1 to 9 digits of fraction, and a valid date and time;
     * -1 otherwise, and then the caller goes the long way ({@link #instant(String)}), which reads the
     * other forms {@link Instant#parse} reads or reports what is wrong. Checks and rewrites by hand,
     * making no objects, for the paths that read each row's time as bytes.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code text}
     */
    public static int instant(byte[] text, int start, int end, byte[] out, int at) {
        Objects.checkFromToIndex(start, end, text.length);
        int length = end - start;
        int fraction = length - 21; // digits after the '.', if there is one
        if (length < 20 || length > 30 || text[end - 1] != 'Z' || length > 20 && (text[start + 19] != '.' || fraction < 1)
                || text[start + 4] != '-' || text[start + 7] != '-' || text[start + 10] != 'T' || text[start + 13] != ':'
                || text[start + 16] != ':') {
            return -1;
        }
        int year = decimal(text, start, 4);
        int month = decimal(text, start + 5, 2);
        int day = decimal(text, start + 8, 2);
        int hour = decimal(text, start + 11, 2);
        int minute = decimal(text, start + 14, 2);
        int second = decimal(text, start + 17, 2);
        int micros = 0;
        for (int i = 0; i < 9 && micros >= 0; i++) { // the digits after the sixth are cut off, but must be digits
            int digit = i < fraction ? decimal(text, start + 20 + i, 1) : 0;
            micros = digit < 0 ? -1 : i < 6 ? micros * 10 + digit : micros;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0) {
            return -1;
        }
        System.arraycopy(text, start, out, at, 19); // ASCII digits and separators, checked above
        fractionAndZone(out, at, micros);
        return canonicalLength(micros);
    }

    /** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
    private static int decimal(byte[] text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            byte c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
