package dev.waterfall.config;

/** A boolean value. */
public record BooleanValue(boolean value) implements Value {

    /** {@code true}. */
    public static final BooleanValue TRUE = new BooleanValue(true);
    /** {@code false}. */
    public static final BooleanValue FALSE = new BooleanValue(false);

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public Object toJava() {
        return value;
    }

    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
