package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseOptions;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.tomlj.TomlVersion;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TOML 1.0 files into Waterfall's leaves. tomlj parses and validates; this class decodes the
 * bytes strictly, turns tomlj's tree into {@link Value}s and checks the key rule.
 *
 * <p>Every table, whether written as a {@code [header]}, with dotted keys or inline, is a set of
 * keys; everything else is a leaf, an array of tables included. tomlj reads floats as
 * {@code double}s, which would turn {@code 1.50} into {@code 1.5}: a float's exact literal is read
 * from the text at the position tomlj reports, so decimals keep their digits.
 */
final class TomlReader {

    /** The TOML version read and written: 1.0.0, which every current reader understands. */
    static final TomlVersion VERSION = TomlVersion.V1_0_0;

    private static final TomlParseOptions OPTIONS = TomlParseOptions.defaults().withVersion(VERSION);

    /** A TOML float as written: sign, digits with underscores, fraction, exponent, or inf/nan. */
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:inf|nan|[0-9][0-9_]*(?:\\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?)");

    /** The word at the start of a text, as group 1. */
    private static final Pattern WORD = Pattern.compile("^([A-Za-z0-9_]*).*", Pattern.DOTALL);

    private TomlReader() {
    }

    /** Parses a file; see {@link dev.waterfall.file.DocumentCodec#parse}. */
    static TomlDocument read(byte[] content, String source) {
        boolean byteOrderMark = content.length >= 3
                && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB && (content[2] & 0xff) == 0xBF;
        if (content.length >= 2 && ((content[0] & 0xff) == 0xFE && (content[1] & 0xff) == 0xFF
                || (content[0] & 0xff) == 0xFF && (content[1] & 0xff) == 0xFE)) {
            throw new StoreBrokenException(source, 1, 1, "the file is UTF-16; TOML files must be UTF-8: save it as UTF-8");
        }
        String text = decodeUtf8(content, byteOrderMark ? 3 : 0, source);
        TomlParseResult tree = parseTree(text, source);
        Map<Key, Value> values = new LinkedHashMap<>();
        Map<Key, Integer> lines = new HashMap<>();
        Map<Key, Integer> valueStarts = new HashMap<>();
        new Walk(text, source, values, lines, valueStarts).table(tree, null);
        return new TomlDocument(text, byteOrderMark, values, lines, valueStarts, tree);
    }

    /**
     * tomlj's tree of {@code text}, which must be valid TOML 1.0.
     *
     * @throws StoreBrokenException naming the first error's line and column
     */
    static TomlParseResult parseTree(String text, String source) {
        TomlParseResult tree = Toml.parse(text, OPTIONS);
        if (tree.hasErrors()) {
            TomlParseError first = tree.errors().stream()
                    .min(Comparator.comparingInt((TomlParseError e) -> e.position().line()).thenComparingInt(e -> e.position().column()))
                    .orElseThrow();
            String found = WORD.matcher(new TextPositions(text).textAt(first.position(), 16)).replaceFirst("$1");
            String secretKey = secretKeyOnLine(text, first.position().line());
            throw new StoreBrokenException(source, first.position().line(), first.position().column(),
                    "not valid TOML 1.0: " + (secretKey != null ? "the value of " + secretKey + " is not a valid TOML value (it is not shown: "
                            + "the key looks like a secret; text needs quotes)" : clarify(first.getMessage(), found)));
        }
        return tree;
    }

    /** A key assigned at the start of a line, its segments bare or quoted ({@code "api key" = ...}), as group 1. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "\\s*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*')(?:\\s*\\.\\s*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'))*)\\s*=.*");

    /**
     * The key assigned on line {@code line} (1-based) if it looks like a secret's: an error there
     * must not quote the text it found, which is the secret, or part of it.
     */
    private static String secretKeyOnLine(String text, int line) {
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length) {
            return null;
        }
        Matcher matcher = ASSIGNMENT.matcher(lines[line - 1]);
        String key = matcher.matches() ? matcher.group(1).replaceAll("\\s*\\.\\s*(?=[A-Za-z0-9_\"'-])", ".") : null;
        if (key == null || !dev.waterfall.config.Key.isValid(key)) {
            return null;
        }
        return dev.waterfall.config.SecretPolicy.looksSecret(dev.waterfall.config.Key.of(key)) ? dev.waterfall.config.Key.of(key).path() : null;
    }

    /** tomlj's message, with a hint for the mistakes people make by hand; {@code found} is the word at the error. */
    private static String clarify(String message, String found) {
        if (message.contains("previously defined")) {
            return message + " (a key or table appears twice; keep one)";
        }
        if (message.contains("Integer is too large") || message.contains("Integer is too small")) {
            return message + " (TOML integers are 64-bit; quote the number to keep it as a string)";
        }
        if (message.contains("Float is too large") || message.contains("Float is too small")) {
            return message + " (TOML floats are 64-bit, about 4.9e-324 to 1.8e308; quote the number to keep it as a string)";
        }
        if (message.contains("expected a value") && List.of("null", "nil", "None", "NULL").contains(found)) {
            return message + " (TOML has no " + found + "; remove the key to leave it unset)";
        }
        if (message.contains("expected a value") && !found.isEmpty() && Character.isLetter(found.charAt(0))) {
            return message + " (text needs quotes: \"" + found + "\")";
        }
        if (message.contains("Unexpected end of input")) {
            return message + " (the file is truncated, or a quote or bracket is not closed)";
        }
        return message;
    }

    private static String decodeUtf8(byte[] content, int start, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = start;
            for (int i = start; i < offset; i++) {
                if (content[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(content, lineStart, offset - lineStart, StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            throw new StoreBrokenException(source, line, column, String.format(
                    "invalid UTF-8 (byte 0x%02X at offset %d); the file must be UTF-8: re-save it as UTF-8", content[offset] & 0xff, offset));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /** One walk over a parsed tree, collecting leaves and lines. */
    private static final class Walk {
        private final String text;
        private final String source;
        private final Map<Key, Value> values;
        private final Map<Key, Integer> lines;
        private final Map<Key, Integer> valueStarts;
        private final TextPositions positions;

        Walk(String text, String source, Map<Key, Value> values, Map<Key, Integer> lines, Map<Key, Integer> valueStarts) {
            this.text = text;
            this.source = source;
            this.values = values;
            this.lines = lines;
            this.valueStarts = valueStarts;
            this.positions = new TextPositions(text);
        }

        /** Walks {@code table}, whose key is {@code parent} ({@code null} for the top level). */
        void table(TomlTable table, Key parent) {
            for (String name : table.keySet()) {
                List<String> local = List.of(name);
                Object value = table.get(local);
                TomlPosition position = table.inputPositionOf(local);
                Key key = key(parent, name, position);
                if (value instanceof TomlTable child) {
                    table(child, key);
                } else {
                    TomlPosition start = table.entry(local).value().position();
                    values.put(key, value(value, () -> start));
                    lines.put(key, position == null ? 0 : position.line());
                    if (start != null) {
                        valueStarts.put(key, positions.offset(start));
                    }
                }
            }
        }

        private Key key(Key parent, String name, TomlPosition position) {
            try {
                return parent == null ? Key.root(name) : parent.child(name);
            } catch (InvalidKeyException e) {
                String prefix = "invalid key \"" + dev.waterfall.config.spi.Echo.of(e.key()) + "\": ";
                String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                throw new StoreBrokenException(source, position == null ? 0 : position.line(), position == null ? 0 : position.column(),
                        "key " + dev.waterfall.config.spi.Echo.of(Toml.tomlEscape(name).insert(0, '"').append('"').toString())
                                + (parent == null ? "" : " in " + dev.waterfall.config.spi.Echo.of(parent.toString()))
                                + " cannot be a Waterfall key: " + problem + "; rename it");
            }
        }

        private Value value(Object value, Supplier<TomlPosition> position) {
            if (value instanceof Double number) {
                return floatValue(number, position.get());
            }
            if (value instanceof TomlArray array) {
                List<Value> items = new ArrayList<>(array.size());
                for (int i = 0; i < array.size(); i++) {
                    int index = i;
                    items.add(value(array.get(i), () -> array.entry(index).value().position()));
                }
                return new ArrayValue(items);
            }
            if (value instanceof TomlTable table) {
                Map<String, Value> members = new LinkedHashMap<>();
                for (String name : table.keySet()) {
                    List<String> local = List.of(name);
                    members.put(name, value(table.get(local), () -> table.entry(local).value().position()));
                }
                return new TableValue(members);
            }
            return scalar(value, null);
        }

        private NumberValue floatValue(double number, TomlPosition position) {
            return position == null ? NumberValue.ofDouble(number) : exactFloat(number, text, positions.offset(position));
        }
    }

    /**
     * The value of a scalar tomlj read (a string, boolean, integer, float or date-time); a float's
     * digits come from its literal, which starts at {@code offset} in {@code text}.
     */
    static Value scalar(Object value, String text, int offset) {
        if (value instanceof String string) {
            return new StringValue(string);
        }
        if (value instanceof Boolean bool) {
            return Value.of(bool.booleanValue());
        }
        if (value instanceof Long number) {
            return new NumberValue(Long.toString(number));
        }
        if (value instanceof Double number) {
            return text == null ? NumberValue.ofDouble(number) : exactFloat(number, text, offset);
        }
        if (value instanceof TemporalAccessor temporal) {
            return DateTimeValue.of(temporal);
        }
        throw new IllegalStateException("tomlj returned a " + value.getClass().getName());
    }

    /** {@link #scalar(Object, String, int)} for a literal that is the whole of {@code written}. */
    static Value scalar(Object value, String written) {
        return scalar(value, written, 0);
    }

    /**
     * The float written at {@code offset}, with its literal's digits: {@code 1.50} stays 1.50, and
     * 0.1000000000000000000000000000001 keeps every digit that a {@code double} would drop.
     */
    private static NumberValue exactFloat(double number, String text, int offset) {
        Matcher matcher = FLOAT.matcher(text).region(offset, text.length());
        if (matcher.lookingAt()) {
            String literal = jsonLiteral(matcher.group());
            NumberValue exact = new NumberValue(literal);
            if (Double.compare(exact.doubleValue(), number) == 0) {
                return exact;
            }
        }
        return NumberValue.ofDouble(number); // not reached with tomlj 2.2; the double is right, if not its digits
    }

    /** A TOML float literal as a JSON number or one of Waterfall's non-finite literals. */
    static String jsonLiteral(String tomlFloat) {
        String literal = tomlFloat.replace("_", "");
        if (literal.startsWith("+")) {
            literal = literal.substring(1);
        }
        if (literal.endsWith("nan")) {
            return NumberValue.NAN;
        }
        return literal;
    }
}
