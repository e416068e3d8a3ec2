package dev.waterfall.config.spi;

import dev.waterfall.config.ValueType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Checks and makes the canonical text forms that stores keep and dumps show, by hand and with
 * little allocation, for the paths that handle millions of rows ({@link RawEntrySource}): whether
 * JSON text is exactly what {@link JsonValues#write JsonValues.write(value, false)} makes, and the
 * canonical text of an instant.
 *
 * <p>Stateless; thread-safe.
 */
public final class CanonicalText {

    /** Longer JSON texts are not checked here (the caller decodes them); well within Jackson's limits. */
    private static final int MAX_CHECKED_LENGTH = 1_000_000;
    /** Deeper nesting is not checked here; well within {@link JsonValues#MAX_DEPTH}. */
    private static final int MAX_CHECKED_DEPTH = 64;
    /** Longer member names and number literals are not checked here; well within Jackson's limits. */
    private static final int MAX_CHECKED_TOKEN = 1_000;
    /** Tables with more members are not checked here (the duplicate check compares every pair). */
    private static final int MAX_CHECKED_MEMBERS = 64;

    private CanonicalText() {
    }

    /**
     * The type of the value whose JSON is {@code json}, if {@code json} is exactly what
     * {@link JsonValues#write JsonValues.write(value, false)} writes for a value that JSON alone
     * describes (no type label needed); {@code null} otherwise: not canonical (white space, a
     * needless escape, upper-case hex), not valid JSON, a table with a duplicate member name, or
     * beyond what this check handles (very long or deep text). A {@code null} tells the caller to
     * decode the text the full way, which also reports what is wrong with it.
     */
    public static ValueType jsonType(String json) {
        if (json == null || json.isEmpty() || json.length() > MAX_CHECKED_LENGTH) {
            return null;
        }
        if (value(json, 0, 0) != json.length()) {
            return null;
        }
        return switch (json.charAt(0)) {
            case '"' -> ValueType.STRING;
            case '[' -> ValueType.ARRAY;
            case '{' -> ValueType.TABLE;
            case 't', 'f' -> ValueType.BOOLEAN;
            case 'n' -> ValueType.NULL;
            default -> ValueType.NUMBER;
        };
    }

    /** The index after the canonical value at {@code at}, or -1. */
    private static int value(String s, int at, int depth) {
        if (at >= s.length()) {
            return -1;
        }
        char c = s.charAt(at);
        switch (c) {
            case '"':
                return string(s, at, MAX_CHECKED_LENGTH);
            case '[':
                return array(s, at, depth);
            case '{':
                return table(s, at, depth);
            case 't':
                return s.startsWith("true", at) ? at + 4 : -1;
            case 'f':
                return s.startsWith("false", at) ? at + 5 : -1;
            case 'n':
                return s.startsWith("null", at) ? at + 4 : -1;
            default:
                return number(s, at);
        }
    }

    private static int array(String s, int at, int depth) {
        if (depth >= MAX_CHECKED_DEPTH) {
            return -1;
        }
        int i = at + 1;
        if (i < s.length() && s.charAt(i) == ']') {
            return i + 1;
        }
        while (true) {
            i = value(s, i, depth + 1);
            if (i < 0 || i >= s.length()) {
                return -1;
            }
            char c = s.charAt(i++);
            if (c == ']') {
                return i;
            }
            if (c != ',') {
                return -1;
            }
        }
    }

    private static int table(String s, int at, int depth) {
        if (depth >= MAX_CHECKED_DEPTH) {
            return -1;
        }
        int i = at + 1;
        if (i < s.length() && s.charAt(i) == '}') {
            return i + 1;
        }
        int[] names = null; // start, end of each member name, for the duplicate check
        int count = 0;
        while (true) {
            if (i >= s.length() || s.charAt(i) != '"') {
                return -1;
            }
            int nameEnd = string(s, i, MAX_CHECKED_TOKEN);
            if (nameEnd < 0) {
                return -1;
            }
            if (count > 0) {
                if (count == MAX_CHECKED_MEMBERS) {
                    return -1;
                }
                if (names == null) {
                    names = new int[2 * MAX_CHECKED_MEMBERS];
                }
                // Canonical text spells each string one way only, so equal names are equal text.
                int length = nameEnd - i;
                for (int n = 0; n < count; n++) {
                    if (names[2 * n + 1] - names[2 * n] == length && s.regionMatches(names[2 * n], s, i, length)) {
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
            if (i >= s.length() || s.charAt(i) != ':') {
                return -1;
            }
            i = value(s, i + 1, depth + 1);
            if (i < 0 || i >= s.length()) {
                return -1;
            }
            char c = s.charAt(i++);
            if (c == '}') {
                return i;
            }
            if (c != ',') {
                return -1;
            }
        }
    }

    /** A string as {@link JsonValues#appendString} writes it with non-ASCII characters kept. */
    private static int string(String s, int at, int maxLength) {
        int limit = Math.min(s.length(), at + maxLength);
        for (int i = at + 1; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (++i >= limit) {
                    return -1;
                }
                switch (s.charAt(i)) {
                    case '"', '\\', 'n', 'r', 't', 'b', 'f' -> { }
                    case 'u' -> {
                        if (i + 4 >= limit) {
                            return -1;
                        }
                        int code = 0;
                        for (int h = 1; h <= 4; h++) {
                            char digit = s.charAt(i + h);
                            int nibble = digit >= '0' && digit <= '9' ? digit - '0' : digit >= 'a' && digit <= 'f' ? digit - 'a' + 10 : -1;
                            if (nibble < 0) {
                                return -1;
                            }
                            code = code << 4 | nibble;
                        }
                        if (!escapedAsHex(code)) {
                            return -1;
                        }
                        i += 4;
                    }
                    default -> {
                        return -1;
                    }
                }
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                return -1;
            }
        }
        return -1;
    }

    /** Whether {@link JsonValues#appendString} writes this character as {@code \\uXXXX} when non-ASCII characters are kept. */
    private static boolean escapedAsHex(int c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\b' && c != '\f' || c == 0x7f || c == 0x2028 || c == 0x2029;
    }

    /** A number literal of JSON's grammar, {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}. */
    private static int number(String s, int at) {
        int n = s.length();
        int i = at;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (isDigit(s.charAt(i))) {
            i = digits(s, i);
        } else {
            return -1;
        }
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            i = digits(s, i);
            if (i == start) {
                return -1;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(s, i);
            if (i == start) {
                return -1;
            }
        }
        return i - at > MAX_CHECKED_TOKEN ? -1 : i;
    }

    private static int digits(String s, int at) {
        int i = at;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
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
        byte[] out = new byte[micros == 0 ? 20 : micros % 1000 == 0 ? 24 : 27];
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
        if (out.length == 24) {
            out[19] = '.';
            digits(out, 20, micros / 1000, 3);
        } else if (out.length == 27) {
            out[19] = '.';
            digits(out, 20, micros, 6);
        }
        out[out.length - 1] = 'Z';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The canonical text ({@link #instant(long, int)}) of the instant that {@link Instant#parse}
     * reads from {@code text}. The usual form, {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, is checked and
     * rewritten by hand (and returned as it is when it already is canonical); any other goes
     * through {@code Instant.parse}.
     *
     * @throws java.time.format.DateTimeParseException if {@code Instant.parse} cannot read it
     */
    public static String instant(String text) {
        int length = text.length();
        int fraction = length - 21; // digits after the '.', if there is one
        if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && (length == 20 || text.charAt(19) == '.' && fraction >= 1)
                && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':') {
            int year = number(text, 0, 4);
            int month = number(text, 5, 2);
            int day = number(text, 8, 2);
            int hour = number(text, 11, 2);
            int minute = number(text, 14, 2);
            int second = number(text, 17, 2);
            int micros = 0;
            int nanosLeft = 0;
            if (length > 20) {
                for (int i = 0; i < 9; i++) {
                    int digit = i < fraction ? number(text, 20 + i, 1) : 0;
                    if (digit < 0) {
                        micros = -1;
                        break;
                    }
                    if (i < 6) {
                        micros = micros * 10 + digit;
                    } else {
                        nanosLeft |= digit;
                    }
                }
            }
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= lengthOfMonth(year, month)
                    && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && micros >= 0) {
                int canonicalLength = micros == 0 ? 20 : micros % 1000 == 0 ? 24 : 27;
                if (canonicalLength == length && nanosLeft == 0) {
                    return text;
                }
                byte[] out = new byte[canonicalLength];
                for (int i = 0; i < 19; i++) {
                    out[i] = (byte) text.charAt(i); // ASCII digits and separators, checked above
                }
                if (canonicalLength == 24) {
                    out[19] = '.';
                    digits(out, 20, micros / 1000, 3);
                } else if (canonicalLength == 27) {
                    out[19] = '.';
                    digits(out, 20, micros, 6);
                }
                out[canonicalLength - 1] = 'Z';
                return new String(out, StandardCharsets.ISO_8859_1);
            }
        }
        Instant parsed = Instant.parse(text);
        return instant(parsed.getEpochSecond(), parsed.getNano());
    }

    /** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
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
