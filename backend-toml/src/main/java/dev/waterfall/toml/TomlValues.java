package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waterfall values in TOML: which ones TOML can hold ({@link #normalize}) and how they are written
 * ({@link #literal}).
 *
 * <p>The mapping: a string is a basic string, escaped as TOML 1.0 requires; a number whose literal
 * has no fraction or exponent is an integer, any other a float written with exactly its literal's
 * digits ({@code 1.50} stays {@code 1.50}); {@code inf}, {@code -inf} and {@code nan} are TOML's
 * own; date-times keep their kind; arrays are arrays and tables inside them inline tables. TOML has
 * no null, its integers are 64-bit and its floats are doubles: such values are refused.
 */
final class TomlValues {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final int SHOWN_VALUE_LENGTH = 60;

    private TomlValues() {
    }

    /**
     * The value as a TOML store holds it: integers in their plain form ({@code -0} reads back as
     * {@code 0}), everything else as it is.
     *
     * @throws InvalidValueException naming the value and what to store instead, for a null, an
     *         integer beyond 64 bits, a float beyond a double's range, or text that is not Unicode
     */
    static Value normalize(Value value) {
        return normalize(value, value, "");
    }

    private static Value normalize(Value value, Value whole, String where) {
        if (value instanceof NullValue) {
            if (where.isEmpty()) {
                throw new InvalidValueException("TOML has no null; unset the key to leave it empty, or store an empty string (\"\") or false instead");
            }
            throw new InvalidValueException("TOML has no null, and " + where + " of " + shown(whole)
                    + " is null; leave it out, or store an empty string (\"\") or false there instead");
        }
        if (value instanceof NumberValue number) {
            return normalizeNumber(number, whole, where);
        }
        if (value instanceof StringValue string) {
            checkUnicode(string.value(), whole, where);
            return value;
        }
        if (value instanceof ArrayValue array) {
            List<Value> items = new ArrayList<>(array.items().size());
            boolean changed = false;
            for (int i = 0; i < array.items().size(); i++) {
                Value item = array.items().get(i);
                Value normalized = normalize(item, whole, (where.isEmpty() ? "item " : where + ", item ") + (i + 1));
                changed |= normalized != item;
                items.add(normalized);
            }
            return changed ? new ArrayValue(items) : value;
        }
        if (value instanceof TableValue table) {
            Map<String, Value> members = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                String memberWhere = (where.isEmpty() ? "" : where + ", ") + "member \"" + member.getKey() + "\"";
                checkUnicode(member.getKey(), whole, memberWhere + "'s name");
                Value normalized = normalize(member.getValue(), whole, memberWhere);
                changed |= normalized != member.getValue();
                members.put(member.getKey(), normalized);
            }
            return changed ? new TableValue(members) : value;
        }
        return value; // booleans and date-times: TOML has them all
    }

    private static NumberValue normalizeNumber(NumberValue number, Value whole, String where) {
        if (!number.isFinite()) {
            return number;
        }
        String context = where.isEmpty() ? "" : " (" + where + " of " + shown(whole) + ")";
        if (number.isIntegral()) {
            BigInteger integer = new BigInteger(number.literal());
            if (integer.compareTo(LONG_MIN) < 0 || integer.compareTo(LONG_MAX) > 0) {
                throw new InvalidValueException("TOML integers are 64-bit (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "), and "
                        + number.literal() + context + " does not fit; store it as a string instead");
            }
            String plain = integer.toString();
            return plain.equals(number.literal()) ? number : new NumberValue(plain);
        }
        if (Double.isInfinite(number.doubleValue())) {
            throw new InvalidValueException("TOML floats are 64-bit (up to about 1.8e308), and " + number.literal() + context
                    + " is beyond that; store it as a string instead");
        }
        if (number.doubleValue() == 0 && hasNonZeroDigit(number.literal())) {
            // A double rounds it to zero, and TOML readers refuse such a literal ("Float is too small"):
            // written as it is, the file would not open again.
            throw new InvalidValueException("TOML floats are 64-bit (down to about 4.9e-324), and " + number.literal() + context
                    + " is too small for one; store 0, or the number as a string instead");
        }
        return number;
    }

    /** Whether a number literal's digits before its exponent are not all zeros (its exponent may be beyond any decimal's). */
    private static boolean hasNonZeroDigit(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static void checkUnicode(String text, Value whole, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException(String.format("the text %s holds a lone UTF-16 surrogate U+%04X at index %d%s, "
                        + "which no UTF-8 file can hold; fix the text", shown(new StringValue(text)), (int) c, i,
                        where.isEmpty() ? "" : " (" + where + " of " + shown(whole) + ")"));
            }
        }
    }

    /** A value as messages show it: its JSON, cut short. */
    private static String shown(Value value) {
        String json = value.toJson();
        return json.length() <= SHOWN_VALUE_LENGTH ? json : json.substring(0, SHOWN_VALUE_LENGTH - 3) + "...";
    }

    // ------------------------------------------------------------------ writing

    /** The TOML text of a {@linkplain #normalize normalized} value, on one line. */
    static String literal(Value value) {
        StringBuilder out = new StringBuilder();
        append(value, out);
        return out.toString();
    }

    private static void append(Value value, StringBuilder out) {
        if (value instanceof StringValue string) {
            appendBasicString(string.value(), out);
        } else if (value instanceof NumberValue number) {
            out.append(number.literal());
        } else if (value instanceof BooleanValue bool) {
            out.append(bool.value());
        } else if (value instanceof DateTimeValue dateTime) {
            out.append(dateTime.text());
        } else if (value instanceof ArrayValue array) {
            out.append('[');
            for (int i = 0; i < array.items().size(); i++) {
                out.append(i == 0 ? "" : ", ");
                append(array.items().get(i), out);
            }
            out.append(']');
        } else if (value instanceof TableValue table) {
            if (table.members().isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{ ");
            boolean first = true;
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                out.append(first ? "" : ", ").append(key(member.getKey())).append(" = ");
                first = false;
                append(member.getValue(), out);
            }
            out.append(" }");
        } else {
            throw new IllegalArgumentException("TOML has no " + value.type().label());
        }
    }

    /** A key as TOML writes it: bare when it can be, else a basic string. */
    static String key(String name) {
        boolean bare = !name.isEmpty();
        for (int i = 0; i < name.length() && bare; i++) {
            char c = name.charAt(i);
            bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }
        if (bare) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        appendBasicString(name, out);
        return out.toString();
    }

    /** A TOML basic string: quotes, backslashes and every control character escaped. */
    static void appendBasicString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
        out.append('"');
    }
}
