package dev.waterfall.config.binding;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.waterfall.config.Key;
import dev.waterfall.config.Live;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.BindingProvider;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Builds typed settings from a {@link Waterfall}: a record, an immutable class with a
 * {@code @JsonCreator}, or a bean, from the <em>resolved</em> keys under a prefix, each leaf from
 * the layer that wins for it, so {@code PIPELINE_SERVER_PORT} in the environment overrides
 * {@code server.port} in the store inside the record.
 *
 * <pre>{@code
 * record Server(String host, @Min(1) @Max(65535) int port, Duration timeout, List<String> tags) {}
 *
 * Binder binder = Binder.of(config);          // keep it: it remembers each type's plan
 * Server server = binder.bind("server", Server.class);
 * }</pre>
 *
 * <p>Names are relaxed: {@code max-retries}, {@code max_retries} and {@code maxRetries} in a file,
 * and {@code <PREFIX>_SERVER_MAX_RETRIES} or {@code <PREFIX>_SERVER_MAXRETRIES} in the environment,
 * all give the component {@code maxRetries}. A leaf is read by a rule of its own type, not by
 * databind's coercions: {@code "8080"} is an integer, {@code 1.5} is not; {@code 30s},
 * {@code 1h30m} and {@code PT30S} are durations, a bare {@code 30} is not; {@code byte[]} is base64;
 * {@code @Min}, {@code @Max}, {@code @Positive}, {@code @DecimalMin}, {@code @NotBlank} and
 * {@code @Pattern} (Jakarta Validation) bound what is accepted. A value {@code ${secret:NAME}} is
 * replaced by the secret.
 *
 * <p>A value that cannot be used does not stop the reading: {@link #bind} throws one
 * {@link BindingException} listing every problem with its key, what was expected, the value
 * ({@code <redacted>} for a secret) and where it came from, and for a missing key every place that
 * was looked in.
 *
 * <p><b>Binder and {@code Waterfall.bind}.</b> {@code config.bind("server", Server.class)} and
 * {@code config.live(...)} on {@code Waterfall} delegate to a binder of this module, found with
 * {@code ServiceLoader} on first use: databind costs the CLI's {@code get} tens of milliseconds to
 * load, and {@code dev.waterfall.config} must not require it. Use a {@code Binder} for the
 * {@link TypeReference} and {@link JavaType} variants, which would put databind types into
 * config-api's signatures, and for {@link #typeFactory()}.
 *
 * <p>Thread-safe. The plans of the types bound are kept per instance (nothing static), so keep one
 * binder per {@code Waterfall} rather than one per call.
 */
public final class Binder implements BindingProvider.Binding {

    private final Waterfall config;
    private final ObjectMapper mapper;
    private final Map<JavaType, Compiled> compiled = new ConcurrentHashMap<>();

    /** A type's plan and the reader that builds it from the plan's JSON. */
    private record Compiled(Plan plan, ObjectReader reader) {
    }

    private Binder(Waterfall config) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** A binder reading {@code config}. */
    public static Binder of(Waterfall config) {
        return new Binder(config);
    }

    /** The configuration read. */
    public Waterfall config() {
        return config;
    }

    /** Databind's type factory, to make a {@link JavaType} such as {@code Map<String, Endpoint>}. */
    public TypeFactory typeFactory() {
        return mapper.getTypeFactory();
    }

    /**
     * The keys under {@code prefix} ({@code ""} for the whole configuration) as a {@code T}.
     *
     * @throws BindingException listing every value that cannot be used and every required key that is missing
     * @throws dev.waterfall.config.InvalidKeyException if {@code prefix} is neither empty nor a valid key
     * @throws dev.waterfall.config.WaterfallException  if a layer cannot be read
     */
    @Override
    public <T> T bind(String prefix, Class<T> type) {
        return bind(prefix, mapper.constructType(type));
    }

    /** {@link #bind(String, Class)} for a generic type: {@code bind("limits", new TypeReference<Map<String, Integer>>() {})}. */
    public <T> T bind(String prefix, TypeReference<T> type) {
        return bind(prefix, mapper.constructType(type));
    }

    /** {@link #bind(String, Class)} for a type made with {@link #typeFactory()}. */
    public <T> T bind(String prefix, JavaType type) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(type, "type");
        return bind(prefix, type, config.list(prefix));
    }

    /**
     * A live {@code T} of the keys under {@code prefix}: bound now, and bound again after every
     * change of those keys by any writer (see {@link Live}). Close it to stop following.
     *
     * @throws BindingException if the keys cannot be bound now (there is no valid {@code T} to start from)
     * @throws dev.waterfall.config.InvalidKeyException if {@code prefix} is neither empty nor a valid key
     * @throws dev.waterfall.config.WaterfallException  if a layer cannot be read now
     */
    @Override
    public <T> Live<T> live(String prefix, Class<T> type) {
        return live(prefix, mapper.constructType(type));
    }

    /** {@link #live(String, Class)} for a generic type. */
    public <T> Live<T> live(String prefix, TypeReference<T> type) {
        return live(prefix, mapper.constructType(type));
    }

    /** {@link #live(String, Class)} for a type made with {@link #typeFactory()}. */
    public <T> Live<T> live(String prefix, JavaType type) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(type, "type");
        return LiveValue.start(this, prefix, type);
    }

    /** Binds {@code resolved}, the resolved keys under {@code prefix}, as a {@code T}. */
    <T> T bind(String prefix, JavaType type, List<Resolved> resolved) {
        Compiled target = compiled.computeIfAbsent(type, this::compile);
        Run run = new Run(config);
        Source root = Source.tree(prefix, resolved);
        List<String> bases = List.of(prefix.isEmpty() ? config.envPrefix() : config.envVariable(Key.of(prefix)));
        if (!prefix.isEmpty() && !(target.plan instanceof Plan.Pojo)) {
            root = run.withEnvironment(prefix, root.isPresent() ? root : null, bases);
        }
        JsonNode tree;
        if (root != null && root.isPresent() || target.plan instanceof Plan.Pojo) {
            tree = target.plan.read(root != null ? root : Source.empty(prefix), bases, run);
        } else {
            tree = target.plan.absent();
            if (tree == null) {
                run.missing(prefix, target.plan.expected, bases);
            }
        }
        String typeName = type.getRawClass().getSimpleName();
        if (!run.problems.isEmpty() || tree == null) {
            throw new BindingException(prefix, typeName, run.problems);
        }
        try {
            return target.reader.readValue(tree);
        } catch (JsonMappingException e) {
            String key = keyOf(prefix, e);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            if (cause == e) {
                reason = e.getOriginalMessage();
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.lang.reflect.InaccessibleObjectException) {
                    throw new BindingException(prefix, typeName, List.of(new BindingProblem(key, "a type jackson-databind may use", Optional.of(
                            "a type it cannot reach (" + t.getMessage() + "); make the type public in an exported package, or open its "
                                    + "package to com.fasterxml.jackson.databind in module-info.java"), "the program")));
                }
            }
            run.refused(key, "values that " + typeName + " accepts", "a refusal: " + firstLine(reason),
                    Run.originText(root != null ? root.anyOrigin() : null));
            throw new BindingException(prefix, typeName, run.problems);
        } catch (IOException e) {
            throw new IllegalStateException("reading a JSON tree in memory failed", e);
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The key that databind's path points to, under {@code prefix}. */
    private static String keyOf(String prefix, JsonMappingException e) {
        StringBuilder key = new StringBuilder(prefix);
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                key.append(key.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                key.append('[').append(reference.getIndex()).append(']');
            }
        }
        return key.length() == 0 ? "(the root)" : key.toString();
    }

    // ---------------------------------------------------------------------------------- planning

    private Compiled compile(JavaType type) {
        return new Compiled(plan(type, Constraints.NONE, new LinkedHashMap<>()), mapper.readerFor(type));
    }

    /** The plan for {@code type}; {@code pojos} holds the records being planned, so a record that holds itself ends. */
    private Plan plan(JavaType type, Constraints constraints, Map<JavaType, Plan.Pojo> pojos) {
        Class<?> raw = type.getRawClass();
        if (raw == Optional.class) {
            return new Plan.Maybe(plan(type.containedTypeOrUnknown(0), constraints, pojos));
        }
        if (raw == byte[].class) {
            return new Plan.Leaf(Plan.Kind.BYTES, "base64 text such as aGVsbG8=", null, null, null, null, null, false, null);
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            return new Plan.Many(plan(type.getContentType(), Constraints.NONE, pojos));
        }
        if (type.isMapLikeType()) {
            return new Plan.Dict(plan(type.getContentType(), Constraints.NONE, pojos));
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return new Plan.Tree();
        }
        Plan.Leaf leaf = leaf(raw, constraints);
        if (leaf != null) {
            return leaf;
        }
        Plan.Pojo known = pojos.get(type);
        if (known != null) {
            return known;
        }
        BeanDescription description = mapper.getDeserializationConfig().introspect(type);
        List<BeanPropertyDefinition> definitions = new ArrayList<>();
        for (BeanPropertyDefinition definition : description.findProperties()) {
            if (definition.couldDeserialize()) {
                definitions.add(definition);
            }
        }
        if (definitions.isEmpty() || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            return new Plan.Other(raw, mapper.readerFor(type));
        }
        Plan.Pojo pojo = new Plan.Pojo(raw);
        pojos.put(type, pojo);
        List<Plan.Property> properties = new ArrayList<>(definitions.size());
        for (BeanPropertyDefinition definition : definitions) {
            JavaType propertyType = definition.hasConstructorParameter() ? definition.getConstructorParameter().getType()
                    : definition.getPrimaryType();
            Plan propertyPlan = plan(propertyType, Constraints.of(definition), pojos);
            String name = definition.getName();
            List<String> suffixes = new ArrayList<>(2);
            suffixes.add("_" + Plan.envSegment(name));
            String snake = "_" + Plan.envSegment(Plan.snake(name));
            if (!suffixes.contains(snake)) {
                suffixes.add(snake);
            }
            boolean required = (definition.hasConstructorParameter() || definition.isRequired())
                    && !(propertyPlan instanceof Plan.Maybe);
            properties.add(new Plan.Property(name, Plan.relaxed(name), List.copyOf(suffixes), propertyPlan, required));
        }
        pojo.properties = List.copyOf(properties);
        return pojo;
    }

    /** The leaf plan of {@code raw}, or null if it is no leaf type. */
    private Plan.Leaf leaf(Class<?> raw, Constraints c) {
        if (raw == String.class || raw == CharSequence.class) {
            String expected = c.pattern != null ? "a string matching " + c.pattern.pattern() : c.notBlank ? "a non-blank string" : "a string";
            return new Plan.Leaf(Plan.Kind.STRING, expected, null, null, null, null, c.pattern, c.notBlank, null);
        }
        if (raw == int.class || raw == Integer.class) {
            return integer(c, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == long.class || raw == Long.class) {
            return integer(c, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == short.class || raw == Short.class) {
            return integer(c, Short.MIN_VALUE, Short.MAX_VALUE);
        }
        if (raw == byte.class || raw == Byte.class) {
            return integer(c, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
        if (raw == BigInteger.class) {
            BigInteger min = c.min;
            BigInteger max = c.max;
            return new Plan.Leaf(Plan.Kind.INTEGER, "an integer" + range(min, max), min, max, null, null, null, false, null);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return new Plan.Leaf(Plan.Kind.FLOAT, "a number" + range(c.decimalMin, c.decimalMax), null, null, c.decimalMin, c.decimalMax,
                    null, false, null);
        }
        if (raw == BigDecimal.class) {
            return new Plan.Leaf(Plan.Kind.DECIMAL, "a decimal number" + range(c.decimalMin, c.decimalMax), null, null, c.decimalMin,
                    c.decimalMax, null, false, null);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return new Plan.Leaf(Plan.Kind.BOOLEAN, "true or false", null, null, null, null, null, false, null);
        }
        if (raw == char.class || raw == Character.class) {
            return new Plan.Leaf(Plan.Kind.CHAR, "a single character", null, null, null, null, null, false, null);
        }
        if (raw.isEnum()) {
            Map<String, String> constants = new LinkedHashMap<>();
            for (Object constant : raw.getEnumConstants()) {
                String json = mapper.valueToTree(constant).asText();
                constants.putIfAbsent(Plan.Leaf.relaxedConstant(json), json);
                constants.putIfAbsent(Plan.Leaf.relaxedConstant(((Enum<?>) constant).name()), json);
            }
            List<String> shown = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                shown.add(mapper.valueToTree(constant).asText());
            }
            return new Plan.Leaf(Plan.Kind.ENUM, "one of " + String.join(", ", shown), null, null, null, null, null, false, Map.copyOf(constants));
        }
        Plan.Kind kind = null;
        String expected = null;
        if (raw == Duration.class) {
            kind = Plan.Kind.DURATION;
            expected = Durations.EXPECTED;
        } else if (raw == Instant.class) {
            kind = Plan.Kind.INSTANT;
            expected = "an instant such as 2026-12-07T23:00:00Z";
        } else if (raw == OffsetDateTime.class) {
            kind = Plan.Kind.OFFSET_DATE_TIME;
            expected = "a date-time with an offset such as 2026-12-07T23:00:00+01:00";
        } else if (raw == ZonedDateTime.class) {
            kind = Plan.Kind.ZONED_DATE_TIME;
            expected = "a date-time with a zone such as 2026-12-07T23:00:00+01:00[Europe/Paris]";
        } else if (raw == LocalDate.class) {
            kind = Plan.Kind.LOCAL_DATE;
            expected = "a date such as 2026-12-07";
        } else if (raw == LocalDateTime.class) {
            kind = Plan.Kind.LOCAL_DATE_TIME;
            expected = "a local date-time such as 2026-12-07T23:00:00";
        } else if (raw == LocalTime.class) {
            kind = Plan.Kind.LOCAL_TIME;
            expected = "a time such as 23:00:00";
        } else if (raw == URI.class) {
            kind = Plan.Kind.URI;
            expected = "a URI such as https://example.com/path";
        } else if (raw == Path.class) {
            kind = Plan.Kind.PATH;
            expected = "a file path";
        } else if (raw == UUID.class) {
            kind = Plan.Kind.UUID;
            expected = "a UUID such as 123e4567-e89b-12d3-a456-426614174000";
        }
        return kind == null ? null : new Plan.Leaf(kind, expected, null, null, null, null, null, false, null);
    }

    private static Plan.Leaf integer(Constraints c, long typeMin, long typeMax) {
        BigInteger min = BigInteger.valueOf(typeMin);
        BigInteger max = BigInteger.valueOf(typeMax);
        if (c.min != null && c.min.compareTo(min) > 0) {
            min = c.min;
        }
        if (c.max != null && c.max.compareTo(max) < 0) {
            max = c.max;
        }
        return new Plan.Leaf(Plan.Kind.INTEGER, "an integer from " + min + " to " + max, min, max, null, null, null, false, null);
    }

    private static String range(Object min, Object max) {
        if (min != null && max != null) {
            return " from " + min + " to " + max;
        }
        if (min != null) {
            return " of at least " + min;
        }
        return max != null ? " of at most " + max : "";
    }

    /** The Jakarta Validation bounds on a component: what a leaf accepts beyond its type. */
    private record Constraints(BigInteger min, BigInteger max, BigDecimal decimalMin, BigDecimal decimalMax, Pattern pattern, boolean notBlank) {
        static final Constraints NONE = new Constraints(null, null, null, null, null, false);

        static Constraints of(BeanPropertyDefinition definition) {
            List<AnnotatedMember> members = new ArrayList<>(4);
            for (AnnotatedMember member : Arrays.asList(definition.getConstructorParameter(), definition.getField(), definition.getSetter(),
                    definition.getGetter())) {
                if (member != null) {
                    members.add(member);
                }
            }
            BigInteger min = null;
            BigInteger max = null;
            BigDecimal decimalMin = null;
            BigDecimal decimalMax = null;
            Min minimum = find(members, Min.class);
            if (minimum != null) {
                min = BigInteger.valueOf(minimum.value());
            }
            Max maximum = find(members, Max.class);
            if (maximum != null) {
                max = BigInteger.valueOf(maximum.value());
            }
            if (find(members, Positive.class) != null) {
                min = BigInteger.ONE;
            }
            if (find(members, PositiveOrZero.class) != null) {
                min = BigInteger.ZERO;
            }
            if (find(members, Negative.class) != null) {
                max = BigInteger.ONE.negate();
            }
            if (find(members, NegativeOrZero.class) != null) {
                max = BigInteger.ZERO;
            }
            DecimalMin dmin = find(members, DecimalMin.class);
            if (dmin != null) {
                decimalMin = new BigDecimal(dmin.value());
            } else if (min != null) {
                decimalMin = new BigDecimal(min);
            }
            DecimalMax dmax = find(members, DecimalMax.class);
            if (dmax != null) {
                decimalMax = new BigDecimal(dmax.value());
            } else if (max != null) {
                decimalMax = new BigDecimal(max);
            }
            jakarta.validation.constraints.Pattern regex = find(members, jakarta.validation.constraints.Pattern.class);
            return new Constraints(min, max, decimalMin, decimalMax, regex == null ? null : Pattern.compile(regex.regexp()),
                    find(members, NotBlank.class) != null);
        }

        private static <A extends Annotation> A find(List<AnnotatedMember> members, Class<A> type) {
            for (AnnotatedMember member : members) {
                A found = member.getAnnotation(type);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
    }
}
