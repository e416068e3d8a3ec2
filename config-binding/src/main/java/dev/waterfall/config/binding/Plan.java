package dev.waterfall.config.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How to read one Java type from a {@link Source}: made once per type by {@link Binder} (the
 * reflection is the expensive part), then applied on every bind. A plan turns the source into the
 * JSON tree that jackson-databind then builds the object from, checking every leaf on the way and
 * reporting into the {@link Run} instead of stopping at the first bad value.
 */
abstract sealed class Plan permits Plan.Leaf, Plan.Pojo, Plan.Many, Plan.Dict, Plan.Maybe, Plan.Tree, Plan.Other {

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** What this plan accepts, as an error message says it: {@code an integer from 1 to 65535}. */
    final String expected;

    Plan(String expected) {
        this.expected = expected;
    }

    /**
     * The JSON for {@code source} (which is present), or null after reporting why there is none.
     *
     * @param bases the environment variables of the source's place, which the variables of the
     *              keys below it extend
     */
    abstract JsonNode read(Source source, List<String> bases, Run run);

    /** The JSON for a value no layer holds, or null when the value is required. */
    JsonNode absent() {
        return null;
    }

    /** The environment-variable form of a key segment, as Waterfall names variables: upper case, {@code _} for the rest. */
    static String envSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? Character.toUpperCase(c) : '_');
        }
        return out.toString();
    }

    /** The form relaxed names are compared in: lower case without {@code -} and {@code _}, so {@code max-retries}, {@code max_retries} and {@code maxRetries} meet. */
    static String relaxed(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** {@code maxRetries} as {@code max_retries}: the snake form of a camel-case name. */
    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1)) && name.charAt(i - 1) != '_') {
                out.append('_');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Every layer's value as plain JSON, for targets that take any tree. */
    static JsonNode json(Source source) {
        if (source.envText != null) {
            return json(Value.parseLiteral(source.envText));
        }
        if (source.value != null) {
            return json(source.value);
        }
        ObjectNode object = NODES.objectNode();
        source.children().forEach((name, child) -> object.set(name, json(child)));
        return object;
    }

    static JsonNode json(Value value) {
        if (value instanceof StringValue string) {
            return NODES.textNode(string.value());
        } else if (value instanceof NumberValue number) {
            if (!number.isFinite()) {
                return NODES.numberNode(number.doubleValue());
            }
            BigDecimal decimal = number.decimal();
            if (number.isIntegral()) {
                BigInteger integer = decimal.toBigIntegerExact();
                return integer.bitLength() < 64 ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
            }
            return NODES.numberNode(decimal);
        } else if (value instanceof BooleanValue bool) {
            return NODES.booleanNode(bool.value());
        } else if (value instanceof NullValue) {
            return NODES.nullNode();
        } else if (value instanceof DateTimeValue dateTime) {
            return NODES.textNode(dateTime.text());
        } else if (value instanceof ArrayValue array) {
            ArrayNode node = NODES.arrayNode(array.items().size());
            array.items().forEach(item -> node.add(json(item)));
            return node;
        }
        ObjectNode object = NODES.objectNode();
        ((TableValue) value).members().forEach((name, member) -> object.set(name, json(member)));
        return object;
    }

    // ------------------------------------------------------------------------------------- leaves

    /** What a leaf is. */
    enum Kind {
        STRING, CHAR, INTEGER, FLOAT, DECIMAL, BOOLEAN, ENUM, DURATION, INSTANT, OFFSET_DATE_TIME, ZONED_DATE_TIME,
        LOCAL_DATE, LOCAL_DATE_TIME, LOCAL_TIME, URI, PATH, BYTES, UUID
    }

    /**
     * A single value: text, a number, a boolean, an enum constant, a duration, a date, a URI, a
     * path, bytes. Each is read by its own rule, not databind's coercions, so {@code 1.5} is no
     * integer, {@code ""} no zero, {@code 30} no duration; the JSON it makes is one databind reads
     * without a question.
     */
    static final class Leaf extends Plan {
        private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

        final Kind kind;
        private final BigInteger min;
        private final BigInteger max;
        private final BigDecimal decimalMin;
        private final BigDecimal decimalMax;
        private final Pattern pattern;
        private final boolean notBlank;
        private final Map<String, String> constants;

        Leaf(Kind kind, String expected, BigInteger min, BigInteger max, BigDecimal decimalMin, BigDecimal decimalMax, Pattern pattern,
                boolean notBlank, Map<String, String> constants) {
            super(expected);
            this.kind = kind;
            this.min = min;
            this.max = max;
            this.decimalMin = decimalMin;
            this.decimalMax = decimalMax;
            this.pattern = pattern;
            this.notBlank = notBlank;
            this.constants = constants;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            if (source.isTable() || source.value instanceof ArrayValue || source.value instanceof NullValue) {
                run.wrong(source, expected);
                return null;
            }
            String text = scalarText(source);
            Optional<String> reference = source.envText != null ? SecretPolicy.reference(new StringValue(source.envText))
                    : source.value != null ? SecretPolicy.reference(source.value) : Optional.empty();
            if (reference.isPresent()) {
                text = run.secret(source, reference.get(), expected);
                if (text == null) {
                    return null;
                }
                source.value = new StringValue(text);
                source.envText = null;
            } else if (text != null && text.contains("${")) {
                text = run.expanded(source, expected);
                if (text == null) {
                    return null;
                }
                source.value = new StringValue(text);
                source.envText = null;
            }
            JsonNode node = convert(source, text);
            if (node == null) {
                run.wrong(source, expected);
            }
            return node;
        }

        /** The value as text where a leaf may be written as text: a string, an environment variable, a number's or a date's literal. */
        private static String scalarText(Source source) {
            if (source.envText != null) {
                return source.envText;
            }
            Value value = source.value;
            if (value instanceof StringValue string) {
                return string.value();
            } else if (value instanceof NumberValue number) {
                return number.literal();
            } else if (value instanceof BooleanValue bool) {
                return Boolean.toString(bool.value());
            } else if (value instanceof DateTimeValue dateTime) {
                return dateTime.text();
            }
            return null;
        }

        private JsonNode convert(Source source, String text) {
            Value value = source.envText == null ? source.value : null;
            try {
                return switch (kind) {
                    case STRING -> {
                        if (notBlank && text.isBlank() || pattern != null && !pattern.matcher(text).matches()) {
                            yield null;
                        }
                        yield NODES.textNode(text);
                    }
                    case CHAR -> text.length() == 1 ? NODES.textNode(text) : null;
                    case INTEGER -> integer(value, text);
                    case FLOAT -> floating(value, text);
                    case DECIMAL -> {
                        BigDecimal decimal = value instanceof NumberValue number ? (number.isFinite() ? number.decimal() : null)
                                : new BigDecimal(text.strip());
                        yield decimal == null || !inDecimalRange(decimal) ? null : NODES.numberNode(decimal);
                    }
                    case BOOLEAN -> {
                        if (value instanceof BooleanValue bool) {
                            yield NODES.booleanNode(bool.value());
                        }
                        String word = text.strip();
                        yield word.equalsIgnoreCase("true") ? NODES.booleanNode(true)
                                : word.equalsIgnoreCase("false") ? NODES.booleanNode(false) : null;
                    }
                    case ENUM -> {
                        String constant = constants.get(relaxedConstant(text.strip()));
                        yield constant == null ? null : NODES.textNode(constant);
                    }
                    case DURATION -> {
                        Duration duration = Durations.parse(text);
                        yield duration == null ? null : NODES.textNode(duration.toString());
                    }
                    case INSTANT -> {
                        String t = dateTimeText(text);
                        Instant instant;
                        try {
                            instant = Instant.parse(t);
                        } catch (DateTimeParseException e) {
                            instant = OffsetDateTime.parse(t).toInstant();
                        }
                        yield NODES.textNode(instant.toString());
                    }
                    case OFFSET_DATE_TIME -> NODES.textNode(OffsetDateTime.parse(dateTimeText(text)).toString());
                    case ZONED_DATE_TIME -> NODES.textNode(ZonedDateTime.parse(dateTimeText(text)).toString());
                    case LOCAL_DATE -> NODES.textNode(LocalDate.parse(text.strip()).toString());
                    case LOCAL_DATE_TIME -> NODES.textNode(LocalDateTime.parse(dateTimeText(text)).toString());
                    case LOCAL_TIME -> NODES.textNode(LocalTime.parse(text.strip()).toString());
                    case URI -> {
                        if (text.isBlank()) {
                            yield null;
                        }
                        new URI(text.strip());
                        yield NODES.textNode(text.strip());
                    }
                    case PATH -> {
                        if (text.isEmpty() || text.indexOf('\0') >= 0) {
                            yield null;
                        }
                        Path.of(text);
                        yield NODES.textNode(text);
                    }
                    case BYTES -> NODES.binaryNode(Base64.getDecoder().decode(text.strip()));
                    case UUID -> UUID_FORM.matcher(text.strip()).matches() ? NODES.textNode(text.strip()) : null;
                };
            } catch (NullPointerException e) {
                return null; // a value with no text form where text was needed
            } catch (NumberFormatException | ArithmeticException | DateTimeParseException | URISyntaxException | InvalidPathException e) {
                return null;
            } catch (IllegalArgumentException e) {
                return null; // Base64's refusal
            }
        }

        private JsonNode integer(Value value, String text) {
            BigInteger integer;
            if (value instanceof NumberValue number) {
                if (!number.isFinite()) {
                    return null;
                }
                integer = number.decimal().toBigIntegerExact();
            } else {
                String t = text.strip();
                if (t.startsWith("+")) {
                    t = t.substring(1);
                }
                integer = new BigInteger(t);
            }
            if (min != null && integer.compareTo(min) < 0 || max != null && integer.compareTo(max) > 0) {
                return null;
            }
            return integer.bitLength() < 64 ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
        }

        private JsonNode floating(Value value, String text) {
            double number;
            if (value instanceof NumberValue n) {
                if (!n.isFinite()) {
                    return NODES.numberNode(n.doubleValue());
                }
                BigDecimal decimal = n.decimal();
                if (!inDecimalRange(decimal)) {
                    return null;
                }
                number = decimal.doubleValue();
            } else {
                BigDecimal decimal = new BigDecimal(text.strip());
                if (!inDecimalRange(decimal)) {
                    return null;
                }
                number = decimal.doubleValue();
            }
            return Double.isFinite(number) ? NODES.numberNode(number) : null;
        }

        private boolean inDecimalRange(BigDecimal decimal) {
            return (decimalMin == null || decimal.compareTo(decimalMin) >= 0) && (decimalMax == null || decimal.compareTo(decimalMax) <= 0);
        }

        /** TOML writes a date-time with a space for the {@code T}. */
        private static String dateTimeText(String text) {
            String t = text.strip();
            return t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
        }

        static String relaxedConstant(String name) {
            return name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    // ------------------------------------------------------------------------------------ objects

    /** A component of a record, a creator parameter or a bean property. */
    record Property(String name, String relaxedName, List<String> envSuffixes, Plan plan, boolean required) {
    }

    /**
     * A record, a class with a {@code @JsonCreator}, or a bean: its components found by
     * relaxed name among the keys below, the environment consulted for each by every name it may
     * have ({@code SERVER_MAX_RETRIES} and {@code SERVER_MAXRETRIES}).
     */
    static final class Pojo extends Plan {
        private static final int DEEPEST = 64;

        final Class<?> type;
        List<Property> properties = List.of();

        Pojo(Class<?> type) {
            super("a table of keys for " + type.getSimpleName());
            this.type = type;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            if (source.envText != null) {
                Value parsed = Value.parseLiteral(source.envText);
                if (!(parsed instanceof TableValue)) {
                    run.wrong(source, expected);
                    return null;
                }
                source.value = parsed;
                source.envText = null;
            } else if (source.value != null && !(source.value instanceof TableValue)) {
                run.wrong(source, expected);
                return null;
            }
            Map<String, Source> byName = new HashMap<>();
            for (Source child : source.children().values()) {
                String name = child.key.substring(child.key.lastIndexOf('.') + 1);
                byName.merge(relaxed(name), child, Pojo::higher);
            }
            ObjectNode object = NODES.objectNode();
            boolean complete = true;
            for (Property property : properties) {
                Source data = byName.get(property.relaxedName);
                String key;
                List<String> variables = new ArrayList<>(bases.size() * (property.envSuffixes.size() + 1));
                if (data != null) {
                    key = data.key;
                    String segment = "_" + envSegment(key.substring(key.lastIndexOf('.') + 1));
                    for (String base : bases) {
                        add(variables, base + segment);
                    }
                } else {
                    key = source.key.isEmpty() ? property.name : source.key + "." + property.name;
                }
                for (String base : bases) {
                    for (String suffix : property.envSuffixes) {
                        add(variables, base + suffix);
                    }
                }
                Source child = run.withEnvironment(key, data, variables);
                JsonNode node;
                if (child == null || !child.isPresent()) {
                    if (property.plan instanceof Pojo nested && run.depth < DEEPEST) {
                        run.depth++;
                        node = nested.read(Source.empty(key), variables, run);
                        run.depth--;
                    } else {
                        node = property.plan.absent();
                        if (node == null) {
                            if (property.required) {
                                run.missing(key, property.plan.expected, variables);
                                complete = false;
                            }
                            continue;
                        }
                    }
                } else {
                    node = property.plan.read(child, variables, run);
                }
                if (node == null) {
                    complete = false;
                } else {
                    object.set(property.name, node);
                }
            }
            return complete ? object : null;
        }

        private static void add(List<String> names, String name) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }

        /** Of two keys for one component ({@code max-retries} in the store, {@code max_retries} in the defaults), the one of the higher layer. */
        private static Source higher(Source a, Source b) {
            var x = a.anyOrigin();
            var y = b.anyOrigin();
            if (x == null) {
                return b;
            }
            return y != null && y.layer().ordinal() < x.layer().ordinal() ? b : a;
        }
    }

    /** A list, set or array: an array value, a comma-separated string of leaves, or keys {@code 0}, {@code 1}, … below. */
    static final class Many extends Plan {
        private final Plan element;

        Many(Plan element) {
            super("a list, each item " + element.expected);
            this.element = element;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            List<Source> items;
            if (source.envText != null) {
                Value parsed = Value.parseLiteral(source.envText);
                if (parsed instanceof ArrayValue array) {
                    source.value = array;
                    items = source.items(array);
                } else if (element instanceof Leaf) {
                    items = split(source, source.envText, true);
                } else {
                    run.wrong(source, expected);
                    return null;
                }
            } else if (source.value instanceof ArrayValue array) {
                items = source.items(array);
            } else if (source.value instanceof StringValue string && element instanceof Leaf) {
                items = split(source, string.value(), false);
            } else if (source.value == null && numbered(source)) {
                TreeMap<Integer, Source> ordered = new TreeMap<>();
                source.children().forEach((name, child) -> ordered.put(Integer.parseInt(name), child));
                items = new ArrayList<>(ordered.values());
            } else {
                run.wrong(source, expected);
                return null;
            }
            ArrayNode array = NODES.arrayNode(items.size());
            boolean complete = true;
            for (int i = 0; i < items.size(); i++) {
                Source item = items.get(i);
                List<String> itemBases = new ArrayList<>(bases.size());
                for (String base : bases) {
                    itemBases.add(base + "_" + i);
                }
                JsonNode node = element.read(run.withEnvironment(item.key, item, item.realKey != null ? itemBases : List.of()), itemBases, run);
                if (node == null) {
                    complete = false;
                } else {
                    array.add(node);
                }
            }
            return complete ? array : null;
        }

        private static boolean numbered(Source source) {
            if (source.children().isEmpty()) {
                return false;
            }
            for (String name : source.children().keySet()) {
                if (name.isEmpty() || name.length() > 9 || !name.chars().allMatch(Character::isDigit)) {
                    return false;
                }
            }
            return true;
        }

        private static List<Source> split(Source source, String text, boolean fromEnvironment) {
            List<Source> items = new ArrayList<>();
            if (text.isBlank()) {
                return items;
            }
            String[] parts = text.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                Source item = new Source(source.key + "[" + i + "]", null, fromEnvironment ? null : new StringValue(parts[i].strip()), source.origin);
                if (fromEnvironment) {
                    item.envText = parts[i].strip();
                }
                item.secret = source.secret;
                items.add(item);
            }
            return items;
        }

        @Override
        JsonNode absent() {
            return NODES.arrayNode();
        }
    }

    /** A {@code Map<String, V>}: the keys below, each read as {@code V}. */
    static final class Dict extends Plan {
        private final Plan valuePlan;

        Dict(Plan valuePlan) {
            super("a table of keys, each " + valuePlan.expected);
            this.valuePlan = valuePlan;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            if (source.envText != null) {
                Value parsed = Value.parseLiteral(source.envText);
                if (!(parsed instanceof TableValue)) {
                    run.wrong(source, expected);
                    return null;
                }
                source.value = parsed;
                source.envText = null;
            } else if (source.value != null && !(source.value instanceof TableValue)) {
                run.wrong(source, expected);
                return null;
            }
            ObjectNode object = NODES.objectNode();
            boolean complete = true;
            for (Map.Entry<String, Source> entry : source.children().entrySet()) {
                List<String> childBases = new ArrayList<>(bases.size());
                for (String base : bases) {
                    childBases.add(base + "_" + envSegment(entry.getKey()));
                }
                Source child = entry.getValue().realKey != null ? run.withEnvironment(entry.getValue().key, entry.getValue(), childBases) : entry.getValue();
                JsonNode node = valuePlan.read(child, childBases, run);
                if (node == null) {
                    complete = false;
                } else {
                    object.set(entry.getKey(), node);
                }
            }
            return complete ? object : null;
        }

        @Override
        JsonNode absent() {
            return NODES.objectNode();
        }
    }

    /** An {@code Optional<T>}: absent is empty, present is read as {@code T}. */
    static final class Maybe extends Plan {
        private final Plan content;

        Maybe(Plan content) {
            super(content.expected);
            this.content = content;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            return content.read(source, bases, run);
        }

        @Override
        JsonNode absent() {
            return NODES.nullNode();
        }
    }

    /** {@code Object} or {@code JsonNode}: the subtree as JSON, as it is. */
    static final class Tree extends Plan {
        Tree() {
            super("any value");
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            return json(source);
        }

        @Override
        JsonNode absent() {
            return NODES.nullNode();
        }
    }

    /** Any other type databind can read (a class with a one-argument creator, say): databind decides, and its refusal is the problem. */
    static final class Other extends Plan {
        private final ObjectReader reader;

        Other(Class<?> type, ObjectReader reader) {
            super("a " + type.getSimpleName());
            this.reader = reader;
        }

        @Override
        JsonNode read(Source source, List<String> bases, Run run) {
            JsonNode node = json(source);
            try {
                reader.readValue(node);
                return node;
            } catch (java.io.IOException | RuntimeException e) {
                run.wrong(source, expected);
                return null;
            }
        }
    }
}
