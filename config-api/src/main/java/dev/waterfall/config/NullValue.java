package dev.waterfall.config;

/** The JSON {@code null} value: a key that is present and deliberately holds nothing. */
public record NullValue() implements Value {

    /** The one null value (any instance equals it). */
    public static final NullValue INSTANCE = new NullValue();

    @Override
    public ValueType type() {
        return ValueType.NULL;
    }

    @Override
    public Object toJava() {
        return null;
    }

    @Override
    public String toString() {
        return "null";
    }
}
