package dev.waterfall.export;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.export.internal.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When scheduled exports run: at a fixed interval (the first run at once) or at the times a cron
 * expression names. Immutable and thread-safe.
 */
public interface ExportSchedule {

    /** The first run, at or after {@code start}. */
    Instant first(Instant start);

    /** The run after the one scheduled at {@code previous}. */
    Instant next(Instant previous);

    /** The schedule in words, for logs: {@code every 15m} or {@code cron "0 3 * * *" (Europe/Berlin)}. */
    String describe();

    /**
     * Every {@code interval}, starting at once; runs missed while one overran are skipped, not
     * made up.
     *
     * @throws InvalidValueException if the interval is shorter than a second
     */
    static ExportSchedule every(Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidValueException("an export interval must be at least 1s, not " + interval);
        }
        return new IntervalSchedule(interval);
    }

    /**
     * At the times a five-field cron expression names, in {@code zone}'s local time: see crontab(5);
     * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly} and {@code @yearly} work too.
     *
     * @throws InvalidValueException naming the field if the expression is malformed or never matches
     */
    static ExportSchedule cron(String expression, ZoneId zone) {
        return new CronSchedule(CronExpression.parse(expression), Objects.requireNonNull(zone, "zone"));
    }

    /**
     * Parses an interval as people write it: {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d},
     * combinations such as {@code 1h30m}, or ISO-8601 ({@code PT15M}).
     *
     * @throws InvalidValueException if it is none of these
     */
    static Duration parseInterval(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw badInterval(text);
            }
        }
        Matcher matcher = Pattern.compile("(\\d+)([dhms])").matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
            end = matcher.end();
        }
        if (end == 0 || end != trimmed.length()) {
            throw badInterval(text);
        }
        return total;
    }

    private static InvalidValueException badInterval(String text) {
        return new InvalidValueException("\"" + text + "\" is not an interval; write it as 30s, 15m, 2h, 1d, 1h30m or PT15M");
    }
}
