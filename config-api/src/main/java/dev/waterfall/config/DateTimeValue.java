package dev.waterfall.config;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;

/**
 * A TOML date-time: offset date-time, local date-time, local date or local time, kept as its
 * canonical ISO-8601 text ({@code 1979-05-27T07:32:00Z}, {@code 1979-05-27T07:32:00.999},
 * {@code 1979-05-27}, {@code 07:32:00}). Seconds are always written; fractions only when present.
 *
 * <p>Stores whose format has date-times (TOML, the SQL stores, exports) keep the type; a JSON file
 * keeps the ISO-8601 string.
 */
public record DateTimeValue(ValueType type, String text) implements Value {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();
    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(TIME).toFormatter();
    private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(LOCAL_DATE_TIME).appendOffset("+HH:MM", "Z").toFormatter();

    public DateTimeValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        if (!type.isDateTime()) {
            throw new InvalidValueException(type.label() + " is not a date-time type");
        }
        text = canonical(type, text);
    }

    /** The date-time value of a {@code java.time} object of one of TOML's four kinds. */
    public static DateTimeValue of(TemporalAccessor temporal) {
        if (temporal instanceof OffsetDateTime dateTime) {
            return new DateTimeValue(ValueType.OFFSET_DATE_TIME, OFFSET_DATE_TIME.format(dateTime));
        }
        if (temporal instanceof LocalDateTime dateTime) {
            return new DateTimeValue(ValueType.LOCAL_DATE_TIME, LOCAL_DATE_TIME.format(dateTime));
        }
        if (temporal instanceof LocalDate date) {
            return new DateTimeValue(ValueType.LOCAL_DATE, date.toString());
        }
        if (temporal instanceof LocalTime time) {
            return new DateTimeValue(ValueType.LOCAL_TIME, TIME.format(time));
        }
        throw new InvalidValueException("not a TOML date-time: " + temporal);
    }

    private static String canonical(ValueType type, String text) {
        try {
            return switch (type) {
                case OFFSET_DATE_TIME -> OFFSET_DATE_TIME.format(OffsetDateTime.parse(text.replace(' ', 'T').replace('t', 'T').replace('z', 'Z')));
                case LOCAL_DATE_TIME -> LOCAL_DATE_TIME.format(LocalDateTime.parse(text.replace(' ', 'T').replace('t', 'T')));
                case LOCAL_DATE -> LocalDate.parse(text).toString();
                case LOCAL_TIME -> TIME.format(LocalTime.parse(text));
                default -> throw new IllegalStateException(type.name());
            };
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("\"" + dev.waterfall.config.spi.Echo.of(text) + "\" is not a valid " + type.label()
                    + " (ISO-8601, e.g. " + example(type) + ")", e);
        }
    }

    private static String example(ValueType type) {
        return switch (type) {
            case OFFSET_DATE_TIME -> "1979-05-27T07:32:00Z";
            case LOCAL_DATE_TIME -> "1979-05-27T07:32:00";
            case LOCAL_DATE -> "1979-05-27";
            default -> "07:32:00";
        };
    }

    /** This value as the matching {@code java.time} object. */
    public TemporalAccessor temporal() {
        return switch (type) {
            case OFFSET_DATE_TIME -> OffsetDateTime.parse(text);
            case LOCAL_DATE_TIME -> LocalDateTime.parse(text);
            case LOCAL_DATE -> LocalDate.parse(text);
            default -> LocalTime.parse(text);
        };
    }

    @Override
    public Object toJava() {
        return temporal();
    }

    @Override
    public String toString() {
        return text;
    }
}
