package dev.waterfall.config;

/**
 * The kind of a {@link Value}: the JSON data model plus TOML's four date-time kinds.
 *
 * <p>{@link #label()} is the stable lower-case name used in CLI output, exports and SQL columns;
 * treat it as API.
 */
public enum ValueType {
    /** Text. */
    STRING("string"),
    /** A number of any size and precision, or one of TOML's {@code inf}, {@code -inf} and {@code nan}. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** JSON's {@code null}, which TOML cannot hold. */
    NULL("null"),
    /** An ordered list of values. */
    ARRAY("array"),
    /** A table of named values (a JSON object); a value only inside an array, see {@link TableValue}. */
    TABLE("table"),
    /** A date and time with a UTC offset, {@code 1979-05-27T07:32:00Z}. */
    OFFSET_DATE_TIME("datetime"),
    /** A date and time without offset, {@code 1979-05-27T07:32:00}. */
    LOCAL_DATE_TIME("datetime-local"),
    /** A calendar date, {@code 1979-05-27}. */
    LOCAL_DATE("date-local"),
    /** A time of day, {@code 07:32:00}. */
    LOCAL_TIME("time-local");

    private final String label;

    ValueType(String label) {
        this.label = label;
    }

    /** The stable lower-case name of this type, e.g. {@code "string"} or {@code "datetime-local"}. */
    public String label() {
        return label;
    }

    /** Whether this is one of the four date-time kinds. */
    public boolean isDateTime() {
        return this == OFFSET_DATE_TIME || this == LOCAL_DATE_TIME || this == LOCAL_DATE || this == LOCAL_TIME;
    }

    /**
     * The type with the given {@linkplain #label() label}.
     *
     * @throws InvalidValueException if no type has that label
     */
    public static ValueType ofLabel(String label) {
        for (ValueType type : values()) {
            if (type.label.equals(label)) {
                return type;
            }
        }
        throw new InvalidValueException("unknown value type \"" + label + "\"; known types: "
                + java.util.Arrays.stream(values()).map(ValueType::label).toList());
    }
}
