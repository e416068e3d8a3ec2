package dev.waterfall.config;

import java.util.Objects;

/** A string value; any Unicode text, including the empty string. */
public record StringValue(String value) implements Value {

    public StringValue {
        Objects.requireNonNull(value, "value");
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
