package dev.waterfall.config.binding;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads a duration as people write one in a configuration file: {@code 30s}, {@code 1h30m},
 * {@code 250ms}, {@code 1.5s}, {@code 2d}, and ISO-8601 as {@link Duration#parse} reads it
 * ({@code PT30S}). A bare number is refused: {@code timeout = 30} could mean seconds or
 * milliseconds, and a wrong guess is a silent factor of a thousand.
 */
final class Durations {

    static final String EXPECTED = "a duration such as 30s, 1h30m, 250ms or PT30S";

    private Durations() {
    }

    /** The duration, or {@code null} if {@code text} is not one. */
    static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        char first = Character.toUpperCase(s.charAt(0));
        if (first == 'P' || (s.length() > 1 && (first == '-' || first == '+') && Character.toUpperCase(s.charAt(1)) == 'P')) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        boolean negative = s.charAt(0) == '-';
        int i = negative || s.charAt(0) == '+' ? 1 : 0;
        if (i == s.length()) {
            return null;
        }
        Duration total = Duration.ZERO;
        String lower = s.toLowerCase(Locale.ROOT);
        while (i < lower.length()) {
            int numberStart = i;
            while (i < lower.length() && (Character.isDigit(lower.charAt(i)) || lower.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < lower.length() && Character.isLetter(lower.charAt(i))) {
                i++;
            }
            if (numberStart == unitStart || unitStart == i) {
                return null; // a unit without a number, or a number without a unit
            }
            BigDecimal amount;
            try {
                amount = new BigDecimal(lower.substring(numberStart, unitStart));
            } catch (NumberFormatException e) {
                return null;
            }
            long nanosPerUnit = switch (lower.substring(unitStart, i)) {
                case "d" -> 86_400_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                case "ns" -> 1L;
                default -> -1L;
            };
            if (nanosPerUnit < 0) {
                return null;
            }
            BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
            if (nanos.stripTrailingZeros().scale() > 0) {
                return null; // finer than a nanosecond
            }
            try {
                total = total.plusNanos(nanos.longValueExact());
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return negative ? total.negated() : total;
    }
}
