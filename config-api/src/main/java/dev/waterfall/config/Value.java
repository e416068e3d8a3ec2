package dev.waterfall.config;

import dev.waterfall.config.engine.JsonValues;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable configuration value in the JSON data model: string, number (an exact decimal),
 * boolean, null, array or table, plus TOML's date-times.
 *
 * <p>Every store round-trips every value exactly, so moving between stores loses nothing; the
 * one documented exception is a date-time in a store whose format has no date-time type (JSON
 * files keep it as its ISO-8601 string).
 *
 * <p>An entry of a store holds a <em>leaf</em>: any value except a {@link TableValue}. Tables
 * appear as values only inside arrays; a table at the top is a set of keys
 * ({@code plant.name}, {@code plant.site}).
 */
public sealed interface Value
        permits StringValue, NumberValue, BooleanValue, NullValue, ArrayValue, TableValue, DateTimeValue {

    /** The kind of this value. */
    ValueType type();

    /**
     * This value as compact JSON text; the canonical form used in histories, SQL columns and
     * exports. Date-times become their ISO-8601 strings; a non-finite number becomes the string
     * {@code "nan"}, {@code "inf"} or {@code "-inf"}.
     */
    default String toJson() {
        return JsonValues.write(this, false);
    }

    /**
     * This value as a plain Java object: {@code String}, {@code BigDecimal}, {@code Boolean},
     * {@code null}, {@code List}, {@code Map} (insertion-ordered) or a {@code java.time} type.
     * A non-finite number becomes a {@code Double}.
     */
    Object toJava();

    /** A string value. */
    static StringValue of(String text) {
        return new StringValue(text);
    }

    /** A number value. */
    static NumberValue of(long number) {
        return new NumberValue(Long.toString(number));
    }

    /** A number value, exactly as the decimal's plain or scientific text. */
    static NumberValue of(BigDecimal number) {
        return new NumberValue(number.toString());
    }

    /** A boolean value. */
    static BooleanValue of(boolean bool) {
        return bool ? BooleanValue.TRUE : BooleanValue.FALSE;
    }

    /** The null value. */
    static NullValue nullValue() {
        return NullValue.INSTANCE;
    }

    /**
     * Converts a plain Java object into a value: {@code null}, {@code CharSequence},
     * {@code Boolean}, any {@code Number} (a {@code double} that is NaN or infinite becomes the
     * matching non-finite number), {@code Collection} or array of objects, {@code Map} with
     * string keys, the four {@code java.time} types TOML knows, or a {@code Value}.
     *
     * @throws InvalidValueException for any other type, naming it
     */
    static Value ofJava(Object object) {
        if (object == null) {
            return NullValue.INSTANCE;
        }
        if (object instanceof Value value) {
            return value;
        }
        if (object instanceof CharSequence text) {
            return new StringValue(text.toString());
        }
        if (object instanceof Boolean bool) {
            return of(bool.booleanValue());
        }
        if (object instanceof BigDecimal decimal) {
            return of(decimal);
        }
        if (object instanceof BigInteger integer) {
            return new NumberValue(integer.toString());
        }
        if (object instanceof Long || object instanceof Integer || object instanceof Short || object instanceof Byte) {
            return of(((Number) object).longValue());
        }
        if (object instanceof Double || object instanceof Float) {
            return NumberValue.ofDouble(((Number) object).doubleValue());
        }
        if (object instanceof Collection<?> collection) {
            List<Value> items = new ArrayList<>(collection.size());
            for (Object item : collection) {
                items.add(ofJava(item));
            }
            return new ArrayValue(items);
        }
        if (object instanceof Object[] array) {
            return ofJava(List.of(array));
        }
        if (object instanceof Map<?, ?> map) {
            Map<String, Value> members = new LinkedHashMap<>();
            for (Map.Entry<?, ?> member : map.entrySet()) {
                if (!(member.getKey() instanceof String name)) {
                    throw new InvalidValueException("a table's member names must be strings, got "
                            + (member.getKey() == null ? "null" : member.getKey().getClass().getName()));
                }
                members.put(name, ofJava(member.getValue()));
            }
            return new TableValue(members);
        }
        if (object instanceof OffsetDateTime || object instanceof LocalDateTime
                || object instanceof LocalDate || object instanceof LocalTime) {
            return DateTimeValue.of((TemporalAccessor) object);
        }
        throw new InvalidValueException("cannot store a " + object.getClass().getName()
                + "; use a string, number, boolean, null, list, map or java.time date/time");
    }

    /**
     * Parses strict JSON text (RFC 8259) into a value.
     *
     * @throws InvalidValueException naming the position when the text is not one JSON value
     */
    static Value parseJson(String json) {
        return new JsonValues().parse(json);
    }

    /**
     * Parses a value the way the {@code waterfall set} command and environment variables do: a
     * JSON literal ({@code 8080}, {@code true}, {@code [1,2]}, {@code "text"}, {@code null}) is
     * taken as that value; anything else is the string itself, so a bare word needs no quotes.
     */
    static Value parseLiteral(String text) {
        return new JsonValues().parseLiteral(text);
    }
}
