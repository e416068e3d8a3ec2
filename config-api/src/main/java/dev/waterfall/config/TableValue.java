package dev.waterfall.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable table (JSON object) of named values, in insertion order.
 *
 * <p>A table is a value only inside an array; at the top level a table is a set of dotted keys.
 */
public record TableValue(Map<String, Value> members) implements Value {

    public TableValue {
        Map<String, Value> copy = new LinkedHashMap<>(members.size() * 2);
        for (Map.Entry<String, Value> member : members.entrySet()) {
            StringValue.checkUnicode(Objects.requireNonNull(member.getKey(), "member name"), "the member name");
            copy.put(member.getKey(),
                    Objects.requireNonNull(member.getValue(), "member value"));
        }
        members = Collections.unmodifiableMap(copy);
    }

    @Override
    public ValueType type() {
        return ValueType.TABLE;
    }

    @Override
    public Object toJava() {
        Map<String, Object> map = new LinkedHashMap<>(members.size() * 2);
        for (Map.Entry<String, Value> member : members.entrySet()) {
            map.put(member.getKey(), member.getValue().toJava());
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
