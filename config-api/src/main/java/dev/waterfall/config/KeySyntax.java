package dev.waterfall.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The written form of a key path, as TOML writes dotted keys: segments joined by {@code '.'}, a
 * segment bare ({@code [A-Za-z0-9_-]+}) or quoted. Read: a basic string ({@code "cfg(unix)"}, with
 * TOML's escapes {@code \" \\ \b \t \n \f \r \\uXXXX \\UXXXXXXXX}) or a literal string
 * ({@code 'cfg(unix)'}, no escapes). Written (the <em>canonical</em> text every store, history
 * record and dump holds): a segment bare when it can be, else a basic string that escapes
 * {@code "}, {@code \} and every control character, other characters as they are. So one key has
 * exactly one text, text order is the order of the segments' text order within a common prefix,
 * and {@code a.b} is an ancestor of a key exactly when that key's text starts with {@code a.b.}.
 * One exception to quoting: a first segment of {@code %} and a bare name is a profile's
 * ({@code %dev.server.port}) and is written bare; {@code "%dev".x} reads as {@code %dev.x}.
 */
final class KeySyntax {

    private KeySyntax() {
    }

    /** The parsed segments of {@code text}, or a problem as {@link InvalidKeyException} states it. */
    record Parsed(List<String> segments, String problem) {
    }

    static boolean isBareChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    static boolean isBare(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!isBareChar(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code segment}, as a key's first segment, names a profile: {@code %} and a bare
     * name ({@code %dev}). Such a first segment is written bare; see {@link Key}.
     */
    static boolean isProfileSegment(String segment) {
        if (segment.length() < 2 || segment.charAt(0) != '%') {
            return false;
        }
        for (int i = 1; i < segment.length(); i++) {
            if (!isBareChar(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The canonical text of one segment. */
    static String format(String segment) {
        if (isBare(segment)) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length() + 2).append('"');
        appendQuoted(segment, out);
        return out.append('"').toString();
    }

    static void appendSegment(String segment, StringBuilder out) {
        if (isBare(segment)) {
            out.append(segment);
        } else {
            appendQuoted(segment, out.append('"'));
            out.append('"');
        }
    }

    private static void appendQuoted(String segment, StringBuilder out) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** The problem with a raw segment, or {@code null}: a lone UTF-16 surrogate cannot be written as UTF-8. */
    static String segmentProblem(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < segment.length() && Character.isLowSurrogate(segment.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("segment \"%s\" holds a lone UTF-16 surrogate (U+%04X), which no file can store",
                        dev.waterfall.config.spi.Echo.of(segment), (int) c);
            }
        }
        return null;
    }

    /** Parses a key's text. */
    static Parsed parse(String text) {
        if (text.isEmpty()) {
            return new Parsed(null, "the key is empty");
        }
        List<String> segments = new ArrayList<>(4);
        int i = 0;
        int n = text.length();
        while (true) {
            if (i == n) {
                return new Parsed(null, i == 0 ? "the key is empty" : "it ends with '.'");
            }
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                StringBuilder segment = new StringBuilder();
                int start = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == c) {
                        closed = true;
                        i++;
                        break;
                    }
                    if (c == '"' && d == '\\') {
                        if (i + 1 >= n) {
                            break;
                        }
                        char e = text.charAt(i + 1);
                        switch (e) {
                            case '"' -> segment.append('"');
                            case '\\' -> segment.append('\\');
                            case 'b' -> segment.append('\b');
                            case 't' -> segment.append('\t');
                            case 'n' -> segment.append('\n');
                            case 'f' -> segment.append('\f');
                            case 'r' -> segment.append('\r');
                            case 'u', 'U' -> {
                                int digits = e == 'u' ? 4 : 8;
                                if (i + 2 + digits > n) {
                                    return new Parsed(null, "the escape at position " + (i + 1) + " needs " + digits + " hex digits");
                                }
                                int codePoint;
                                try {
                                    codePoint = Integer.parseUnsignedInt(text.substring(i + 2, i + 2 + digits), 16);
                                } catch (NumberFormatException ex) {
                                    return new Parsed(null, "the escape at position " + (i + 1) + " needs " + digits + " hex digits");
                                }
                                if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                                    return new Parsed(null, "the escape at position " + (i + 1) + " is not a Unicode scalar value");
                                }
                                segment.appendCodePoint(codePoint);
                                i += digits;
                            }
                            default -> {
                                return new Parsed(null, "the escape \\" + describeChar(e) + " at position " + (i + 1)
                                        + " is not one of \\\" \\\\ \\b \\t \\n \\f \\r \\uXXXX \\UXXXXXXXX");
                            }
                        }
                        i += 2;
                        continue;
                    }
                    if ((d < 0x20 && d != '\t') || d == 0x7f) {
                        return new Parsed(null, "character " + describe(d) + " at position " + (i + 1)
                                + " must be escaped inside quotes (\\u" + String.format("%04X", (int) d) + ")");
                    }
                    segment.append(d);
                    i++;
                }
                if (!closed) {
                    return new Parsed(null, "the quote at position " + (start + 1) + " is not closed");
                }
                String raw = segment.toString();
                String problem = segmentProblem(raw);
                if (problem != null) {
                    return new Parsed(null, problem);
                }
                segments.add(raw);
                if (i < n && text.charAt(i) != '.') {
                    return new Parsed(null, "character " + describe(text.charAt(i)) + " at position " + (i + 1)
                            + " follows a quoted segment; put a '.' between segments");
                }
            } else {
                int start = i;
                if (c == '%' && segments.isEmpty()) { // a profile's first segment, %dev
                    i++;
                    if (i == n || text.charAt(i) == '.') {
                        return new Parsed(null, "'%' is not followed by a profile's name");
                    }
                }
                while (i < n && text.charAt(i) != '.') {
                    char d = text.charAt(i);
                    if (!isBareChar(d)) {
                        return new Parsed(null, "character " + describe(d) + " at position " + (i + 1) + " is not allowed"
                                + (d == '"' || d == '\'' ? "" : "; quote the segment (\"...\") to use it"));
                    }
                    i++;
                }
                if (i == start) {
                    return new Parsed(null, i == 0 ? "it starts with '.'" : "it has an empty segment at position " + (i + 1));
                }
                segments.add(text.substring(start, i));
            }
            if (i == n) {
                return new Parsed(segments, null);
            }
            i++; // the '.'
        }
    }

    /** The canonical text of {@code segments}. */
    static String join(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (out.length() > 0) {
                out.append('.');
                appendSegment(segment, out);
            } else if (isProfileSegment(segment)) {
                out.append(segment);
            } else {
                appendSegment(segment, out);
            }
        }
        return out.toString();
    }

    /**
     * Whether {@code text[start, end)} is the UTF-8 of a key's canonical text. Keys of bare
     * segments are answered byte by byte; others are decoded and parsed.
     */
    static boolean isCanonical(byte[] text, int start, int end) {
        if (end <= start) {
            return false;
        }
        int from = start;
        if (text[start] == '%') { // a profile's first segment, %dev, is written bare
            from = start + 1;
            if (from == end || text[from] == '.') {
                return false;
            }
        }
        boolean bare = true;
        for (int i = from; i < end && bare; i++) {
            byte b = text[i];
            bare = b == '.' || isBareChar((char) b); // a negative byte is no segment character
        }
        if (bare) {
            if (end - start > Key.MAX_LENGTH || text[start] == '.' || text[end - 1] == '.') {
                return false;
            }
            for (int i = from + 1; i < end; i++) {
                if (text[i] == '.' && text[i - 1] == '.') {
                    return false;
                }
            }
            return true;
        }
        String decoded = new String(text, start, end - start, StandardCharsets.UTF_8);
        byte[] again = decoded.getBytes(StandardCharsets.UTF_8); // invalid UTF-8 would have become U+FFFD
        return java.util.Arrays.equals(again, 0, again.length, text, start, end) && isCanonical(decoded);
    }

    /** Whether {@code text} is a valid key written canonically. */
    static boolean isCanonical(String text) {
        if (text.length() > Key.MAX_LENGTH) {
            return false;
        }
        Parsed parsed = parse(text);
        return parsed.problem() == null && join(parsed.segments()).equals(text);
    }

    /** Lexicographic order by Unicode code point, which is UTF-8's byte order (SQLite's and PostgreSQL's "C" collation). */
    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE && Character.isSurrogate(x) != Character.isSurrogate(y)) {
                    return Character.isSurrogate(x) ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    static String describe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static String describeChar(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c);
    }
}
