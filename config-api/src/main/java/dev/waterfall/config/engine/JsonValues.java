package dev.waterfall.config.engine;

import dev.waterfall.config.spi.Echo;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes values as JSON text: the canonical form of a value in histories, SQL columns,
 * change logs and exports.
 *
 * <p>Reading is strict RFC 8259 (no comments, no trailing commas, no duplicate member names, one
 * value and nothing after it); numbers keep their exact literal. An instance holds a parser
 * factory and is safe for use by many threads; writing needs no instance.
 */
public final class JsonValues {

    /** Nesting deeper than this is refused rather than risk a stack overflow. */
    public static final int MAX_DEPTH = 500;

    private final JsonFactory factory;

    /** A reader that refuses duplicate keys in an object. */
    public JsonValues() {
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Parses one JSON value.
     *
     * @throws InvalidValueException naming line and column if {@code json} is not exactly one JSON value
     */
    public Value parse(String json) {
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidValueException("expected a JSON value but the text is empty");
            }
            Value value = read(parser, 0);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new InvalidValueException("unexpected " + parser.getText() + " after the JSON value at line "
                        + at.getLineNr() + ", column " + at.getColumnNr());
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidValueException("not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + Echo.parserMessage(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidValueException("cannot read JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a value the way {@code waterfall set} and environment variables are read: JSON if the
     * text is one JSON value, otherwise the text itself as a string.
     */
    public Value parseLiteral(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new StringValue(text);
        }
        char first = trimmed.charAt(0);
        boolean looksLikeJson = first == '"' || first == '[' || first == '{' || first == '-' || (first >= '0' && first <= '9')
                || trimmed.equals("true") || trimmed.equals("false") || trimmed.equals("null");
        if (!looksLikeJson) {
            return new StringValue(text);
        }
        try {
            return parse(trimmed);
        } catch (InvalidValueException e) {
            if (first == '"' || first == '[' || first == '{') {
                throw new InvalidValueException("\"" + Echo.of(text) + "\" starts like JSON but is not valid JSON ("
                        + e.getMessage() + "); fix it, or pass it as a plain string", e);
            }
            return new StringValue(text);
        }
    }

    /**
     * Reads the value at the parser's current token, consuming it.
     */
    private static Value read(JsonParser parser, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidValueException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Value> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = checkedText(parser, parser.currentName());
                    parser.nextToken();
                    members.put(name, read(parser, depth + 1));
                }
                return new TableValue(members);
            }
            case START_ARRAY: {
                List<Value> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, depth + 1));
                }
                return new ArrayValue(items);
            }
            case VALUE_STRING:
                return new StringValue(checkedText(parser, parser.getText()));
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new NumberValue(parser.getText());
            case VALUE_TRUE:
                return BooleanValue.TRUE;
            case VALUE_FALSE:
                return BooleanValue.FALSE;
            case VALUE_NULL:
                return NullValue.INSTANCE;
            default:
                throw new InvalidValueException("unexpected JSON token " + token);
        }
    }

    /**
     * {@code text}, the current token's, unless it holds a lone UTF-16 surrogate ({@code "\\udc00"}
     * decodes to one): then a parse error at the token's line and column, which every reader turns
     * into its own message with the position (see {@link StringValue}).
     */
    private static String checkedText(JsonParser parser, String text) throws JsonParseException {
        int at = StringValue.loneSurrogate(text);
        if (at >= 0) {
            throw new JsonParseException(parser, String.format("the text holds a lone UTF-16 surrogate U+%04X (an escape such as "
                    + "\\u%04x without its pair), which is not Unicode text and which no UTF-8 file or database can keep; "
                    + "fix the text", (int) text.charAt(at), (int) text.charAt(at)), parser.currentTokenLocation());
        }
        return text;
    }

    /**
     * Reads the value at the parser's current token, for codecs that drive their own Jackson parser.
     */
    public static Value readCurrent(JsonParser parser) throws IOException {
        return read(parser, 0);
    }

    /**
     * Writes {@code value} as compact JSON.
     *
     * @param asciiOnly escape every non-ASCII character as {@code \\uXXXX}, for ASCII-only dumps
     */
    public static String write(Value value, boolean asciiOnly) {
        StringBuilder out = new StringBuilder();
        write(value, asciiOnly, out);
        return out.toString();
    }

    /** Appends {@code value} as compact JSON to {@code out}. */
    public static void write(Value value, boolean asciiOnly, StringBuilder out) {
        if (value instanceof StringValue string) {
            appendString(string.value(), asciiOnly, out);
        } else if (value instanceof NumberValue number) {
            if (number.isFinite()) {
                out.append(number.literal());
            } else {
                appendString(number.literal(), asciiOnly, out);
            }
        } else if (value instanceof BooleanValue bool) {
            out.append(bool.value());
        } else if (value instanceof NullValue) {
            out.append("null");
        } else if (value instanceof DateTimeValue dateTime) {
            appendString(dateTime.text(), asciiOnly, out);
        } else if (value instanceof ArrayValue array) {
            out.append('[');
            boolean first = true;
            for (Value item : array.items()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, asciiOnly, out);
            }
            out.append(']');
        } else if (value instanceof TableValue table) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(member.getKey(), asciiOnly, out);
                out.append(':');
                write(member.getValue(), asciiOnly, out);
            }
            out.append('}');
        }
    }

    /**
     * Decodes a value stored as JSON text plus its {@linkplain dev.waterfall.config.ValueType#label() type label},
     * as histories, SQL columns and exports keep it: the label restores what JSON alone cannot say
     * (a date-time, a non-finite number).
     *
     * @throws InvalidValueException if the text is not JSON or does not fit the type
     */
    public Value decodeTyped(String json, String typeLabel) {
        return retype(parse(json), typeLabel);
    }

    /**
     * Restores the type of a value read back from JSON: a string labelled as a date-time becomes
     * that date-time, a string labelled {@code number} becomes a non-finite number.
     *
     * @param typeLabel the label, or {@code null} when none was stored
     * @throws InvalidValueException if the value does not fit the label
     */
    public static Value retype(Value value, String typeLabel) {
        if (typeLabel == null) {
            return value;
        }
        dev.waterfall.config.ValueType type = dev.waterfall.config.ValueType.ofLabel(typeLabel);
        if (type.isDateTime() && value instanceof StringValue text) {
            return new DateTimeValue(type, text.value());
        }
        if (type == dev.waterfall.config.ValueType.NUMBER && value instanceof StringValue text) {
            return new NumberValue(text.value());
        }
        if (type != value.type()) {
            throw new InvalidValueException("value " + write(value, false) + " is not of type " + typeLabel);
        }
        return value;
    }

    /**
     * The type label to store beside {@code value}'s JSON so that {@link #retype} can restore it,
     * or {@code null} when JSON alone says it all.
     */
    public static String typeTag(Value value) {
        if (value.type().isDateTime()) {
            return value.type().label();
        }
        if (value instanceof NumberValue number && !number.isFinite()) {
            return value.type().label();
        }
        return null;
    }

    /** Appends {@code text} as a quoted, escaped JSON string. */
    public static void appendString(String text, boolean asciiOnly, StringBuilder out) {
        out.append('"');
        int clean = 0; // start of the run of characters that need no escaping
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f || c > 0x7f && !asciiOnly && c != '\u2028' && c != '\u2029') {
                continue;
            }
            out.append(text, clean, i);
            clean = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append(text, clean, text.length());
        out.append('"');
    }
}
