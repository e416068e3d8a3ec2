package dev.waterfall.config;

import java.util.Objects;

/**
 * A string value; any Unicode text, including the empty string.
 *
 * <p>Unicode text, exactly: a Java string may hold a lone UTF-16 surrogate (JSON's {@code "\\udc00"}
 * decodes to one), which no UTF-8 file, SQL text column or terminal can carry; every encoder
 * would silently write {@code ?} instead, and the next unrelated write would keep the {@code ?} for
 * good. So such text is refused here, where every way a value enters passes (files, {@code set},
 * environment variables, imports, SQL rows), and the readers that know where it came from say
 * where (line and column).
 */
public record StringValue(String value) implements Value {

    /**
     * @throws InvalidValueException if {@code value} holds a lone surrogate
     */
    public StringValue {
        Objects.requireNonNull(value, "value");
        checkUnicode(value, "the text");
    }

    /**
     * The index of the first lone UTF-16 surrogate in {@code text}, or -1 if it is Unicode text.
     */
    public static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Refuses {@code text} (described as {@code what}) if it holds a lone surrogate. */
    static void checkUnicode(String text, String what) {
        int at = loneSurrogate(text);
        if (at >= 0) {
            throw new InvalidValueException(String.format("%s %s holds a lone UTF-16 surrogate U+%04X at index %d, which is not "
                    + "Unicode text and which no UTF-8 file or database can keep; fix the text", what,
                    shown(text), (int) text.charAt(at), at));
        }
    }

    /** The text as JSON with every non-ASCII character escaped (so the surrogate shows), cut short. */
    private static String shown(String text) {
        StringBuilder out = new StringBuilder();
        dev.waterfall.config.engine.JsonValues.appendString(text.length() > 60 ? text.substring(0, 60) : text, true, out);
        return text.length() > 60 ? out.append("...").toString() : out.toString();
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public Object toJava() {
        return value;
    }

    @Override
    public String toString() {
        return toJson();
    }
}
