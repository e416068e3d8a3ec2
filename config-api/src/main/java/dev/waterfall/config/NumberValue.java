package dev.waterfall.config;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exact number, kept as its literal text so that nothing is rounded and an integer stays an
 * integer ({@code 8080}) while a decimal keeps its scale ({@code 1.50}).
 *
 * <p>The literal follows JSON's number grammar ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}), or
 * is one of TOML's non-finite floats {@code "inf"}, {@code "-inf"} and {@code "nan"}. Two numbers
 * are equal when their literals are equal: {@code 1.0} and {@code 1.00} are different values,
 * because a store must give back what was put in.
 */
public record NumberValue(String literal) implements Value {

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    /** Positive infinity, spelled as TOML spells it. */
    public static final String INFINITY = "inf";
    /** Negative infinity. */
    public static final String NEGATIVE_INFINITY = "-inf";
    /** Not a number. */
    public static final String NAN = "nan";

    public NumberValue {
        Objects.requireNonNull(literal, "literal");
        if (!isNonFinite(literal) && !JSON_NUMBER.matcher(literal).matches()) {
            throw new InvalidValueException("\"" + dev.waterfall.config.spi.Echo.of(literal) + "\" is not a number; write it as JSON does, e.g. 42, -1.5 or 6.02e23");
        }
    }

    /** The number for a {@code double}; NaN and infinities become the non-finite literals. */
    public static NumberValue ofDouble(double value) {
        if (Double.isNaN(value)) {
            return new NumberValue(NAN);
        }
        if (Double.isInfinite(value)) {
            return new NumberValue(value > 0 ? INFINITY : NEGATIVE_INFINITY);
        }
        String text = Double.toString(value);
        // Double.toString writes 1.0E10; JSON wants 1.0E10 too, but never a bare "E" without digits after.
        return new NumberValue(text);
    }

    private static boolean isNonFinite(String literal) {
        return literal.equals(INFINITY) || literal.equals(NEGATIVE_INFINITY) || literal.equals(NAN);
    }

    /** Whether this number is finite (not {@code inf}, {@code -inf} or {@code nan}). */
    public boolean isFinite() {
        return !isNonFinite(literal);
    }

    /** Whether the literal is written as an integer: no fraction, no exponent, finite. */
    public boolean isIntegral() {
        return isFinite() && literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
    }

    /**
     * The exact decimal.
     *
     * @throws ArithmeticException if the number is not finite, or its exponent is beyond an {@code int}
     */
    public BigDecimal decimal() {
        if (!isFinite()) {
            throw new ArithmeticException(literal + " has no decimal value");
        }
        try {
            return new BigDecimal(literal);
        } catch (NumberFormatException e) {
            // A valid JSON number whose exponent is beyond an int (1e-99999999999): no BigDecimal holds it.
            throw new ArithmeticException(dev.waterfall.config.spi.Echo.of(literal) + " has an exponent beyond what a decimal can hold");
        }
    }

    /**
     * The number as a {@code long}.
     *
     * @throws ArithmeticException if it has a fraction, is not finite or does not fit
     */
    public long longValueExact() {
        return decimal().longValueExact();
    }

    /** The nearest {@code double}; non-finite literals map to the matching double. */
    public double doubleValue() {
        return switch (literal) {
            case INFINITY -> Double.POSITIVE_INFINITY;
            case NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
            case NAN -> Double.NaN;
            default -> Double.parseDouble(literal);
        };
    }

    @Override
    public ValueType type() {
        return ValueType.NUMBER;
    }

    @Override
    public Object toJava() {
        return isFinite() ? decimal() : (Object) doubleValue();
    }

    @Override
    public String toString() {
        return literal;
    }
}
