package dev.waterfall.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An immutable ordered list of values; the items may be of mixed types, tables included. */
public record ArrayValue(List<Value> items) implements Value {

    public ArrayValue {
        items = List.copyOf(items);
    }

    /** An array of the given items. */
    public static ArrayValue of(Value... items) {
        return new ArrayValue(List.of(items));
    }

    @Override
    public ValueType type() {
        return ValueType.ARRAY;
    }

    @Override
    public Object toJava() {
        List<Object> list = new ArrayList<>(items.size());
        for (Value item : items) {
            list.add(item.toJava());
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
