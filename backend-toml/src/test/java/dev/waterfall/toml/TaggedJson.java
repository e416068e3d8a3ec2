package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * toml-test's tagged JSON ({@code {"type": "integer", "value": "42"}} for every scalar, objects for
 * tables, arrays for arrays), as Waterfall values, and the comparison of values that treats floats
 * as numbers: the expected {@code 1e+06} and our {@code 1e06} are the same float.
 */
final class TaggedJson {

    private TaggedJson() {
    }

    /**
     * The leaves of a tagged document by key path, the way a TOML store reads them: tables are key
     * paths, everything else is a leaf, and a table with no leaves leaves no trace.
     */
    static Map<List<String>, Value> leaves(Value document) {
        Map<List<String>, Value> leaves = new LinkedHashMap<>();
        collect((TableValue) document, new ArrayList<>(), leaves);
        return leaves;
    }

    private static void collect(TableValue table, List<String> path, Map<List<String>, Value> leaves) {
        for (Map.Entry<String, Value> member : table.members().entrySet()) {
            path.add(member.getKey());
            if (member.getValue() instanceof TableValue child && !isTagged(child)) {
                collect(child, path, leaves);
            } else {
                leaves.put(List.copyOf(path), value(member.getValue()));
            }
            path.remove(path.size() - 1);
        }
    }

    /**
     * Whether some key path of the document (its tables and their keys, not what lies inside
     * arrays) breaks Waterfall's key rule.
     */
    static boolean breaksKeyRule(Value document) {
        return breaksKeyRule((TableValue) document, new ArrayList<>());
    }

    private static boolean breaksKeyRule(TableValue table, List<String> path) {
        for (Map.Entry<String, Value> member : table.members().entrySet()) {
            path.add(member.getKey());
            boolean breaks = !isKey(path)
                    || member.getValue() instanceof TableValue child && !isTagged(child) && breaksKeyRule(child, path);
            path.remove(path.size() - 1);
            if (breaks) {
                return true;
            }
        }
        return false;
    }

    static boolean isKey(List<String> path) {
        try {
            Key.ofSegments(path); // any segment, quoted in the key's text where it is not bare
            return true;
        } catch (dev.waterfall.config.InvalidKeyException e) {
            return false;
        }
    }

    /** A tagged value as a Waterfall value; a float is a number literal with a fraction or exponent. */
    static Value value(Value tagged) {
        if (tagged instanceof ArrayValue array) {
            List<Value> items = new ArrayList<>();
            array.items().forEach(item -> items.add(value(item)));
            return new ArrayValue(items);
        }
        TableValue table = (TableValue) tagged;
        if (!isTagged(table)) {
            Map<String, Value> members = new LinkedHashMap<>();
            table.members().forEach((name, member) -> members.put(name, value(member)));
            return new TableValue(members);
        }
        String type = ((StringValue) table.members().get("type")).value();
        String text = ((StringValue) table.members().get("value")).value();
        return switch (type) {
            case "string" -> new StringValue(text);
            case "integer" -> new NumberValue(text);
            case "float" -> floatValue(text);
            case "bool" -> Value.of(Boolean.parseBoolean(text));
            default -> new DateTimeValue(ValueType.ofLabel(type), text);
        };
    }

    private static NumberValue floatValue(String text) {
        String literal = text.startsWith("+") ? text.substring(1) : text;
        if (literal.equals("-nan")) {
            literal = "nan";
        }
        NumberValue number = new NumberValue(literal);
        return number.isIntegral() ? new NumberValue(literal + ".0") : number;
    }

    private static boolean isTagged(TableValue table) {
        return table.members().size() == 2 && table.members().get("type") instanceof StringValue
                && table.members().get("value") instanceof StringValue;
    }

    /**
     * Whether two values are the same: floats (literals with a fraction or exponent, or non-finite)
     * by their double, with the sign of zero; date-times, when {@code microseconds} is set, to the
     * microsecond (Python's precision); everything else exactly.
     */
    static boolean same(Value expected, Value actual, boolean microseconds) {
        if (expected instanceof NumberValue e && actual instanceof NumberValue a) {
            boolean expectedFloat = !e.isIntegral();
            boolean actualFloat = !a.isIntegral();
            if (expectedFloat || actualFloat) {
                return expectedFloat == actualFloat && Double.compare(e.doubleValue(), a.doubleValue()) == 0;
            }
            return e.decimal().compareTo(a.decimal()) == 0;
        }
        if (expected instanceof DateTimeValue e && actual instanceof DateTimeValue a && microseconds) {
            return e.type() == a.type() && toMicroseconds(e.text()).equals(toMicroseconds(a.text()));
        }
        if (expected instanceof ArrayValue e && actual instanceof ArrayValue a) {
            if (e.items().size() != a.items().size()) {
                return false;
            }
            for (int i = 0; i < e.items().size(); i++) {
                if (!same(e.items().get(i), a.items().get(i), microseconds)) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof TableValue e && actual instanceof TableValue a) {
            if (!e.members().keySet().equals(a.members().keySet())) {
                return false;
            }
            for (String name : e.members().keySet()) {
                if (!same(e.members().get(name), a.members().get(name), microseconds)) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }

    /** Whether two sets of leaves are the same, by {@link #same}. */
    static boolean sameLeaves(Map<List<String>, Value> expected, Map<List<String>, Value> actual, boolean microseconds) {
        if (!expected.keySet().equals(actual.keySet())) {
            return false;
        }
        for (Map.Entry<List<String>, Value> leaf : expected.entrySet()) {
            if (!same(leaf.getValue(), actual.get(leaf.getKey()), microseconds)) {
                return false;
            }
        }
        return true;
    }

    private static String toMicroseconds(String text) {
        int dot = text.indexOf('.', text.indexOf(':'));
        if (dot < 0) {
            return text;
        }
        int end = dot + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        String fraction = (text.substring(dot + 1, end) + "000000").substring(0, 6).replaceAll("0+$", "");
        return text.substring(0, dot) + (fraction.isEmpty() ? "" : "." + fraction) + text.substring(end);
    }
}
