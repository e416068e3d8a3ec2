package dev.waterfall.export.internal;

import dev.waterfall.config.InvalidValueException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A classic five-field cron expression, as crontab(5) defines it: {@code minute hour day-of-month
 * month day-of-week}, each {@code *}, a number, a range {@code a-b}, a step {@code * /n} or
 * {@code a-b/n}, or a comma-separated list of those; month and weekday names ({@code jan},
 * {@code mon}); {@code 0} and {@code 7} are Sunday. When both day fields are restricted a day matching
 * either one matches (as in Vixie cron). Also {@code @hourly}, {@code @daily} ({@code @midnight}),
 * {@code @weekly}, {@code @monthly}, {@code @yearly} ({@code @annually}).
 *
 * <p>Immutable and thread-safe.
 */
public final class CronExpression {

    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    /** How far ahead {@link #next} looks before declaring that the expression never matches. */
    private static final int SEARCH_STEPS = 200_000;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronExpression(String text, String[] fields) {
        this.text = text;
        this.minutes = field(fields[0], "minute", 0, 59, List.of(), 0);
        this.hours = field(fields[1], "hour", 0, 23, List.of(), 0);
        this.daysOfMonth = field(fields[2], "day of month", 1, 31, List.of(), 0);
        this.months = field(fields[3], "month", 1, 12, MONTHS, 1);
        BitSet weekdays = field(fields[4], "day of week", 0, 7, DAYS, 0);
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        this.daysOfWeek = weekdays;
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
    }

    /**
     * Parses an expression.
     *
     * @throws InvalidValueException naming the field and saying what is allowed
     */
    public static CronExpression parse(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        String expanded = MACROS.getOrDefault(trimmed, trimmed);
        if (expanded.startsWith("@")) {
            throw new InvalidValueException("unknown cron macro " + trimmed + "; use one of " + MACROS.keySet().stream().sorted().toList());
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new InvalidValueException("the cron expression \"" + text + "\" has " + fields.length
                    + " fields; it needs five: minute hour day-of-month month day-of-week, e.g. \"*/15 * * * *\" or \"0 3 * * mon-fri\"");
        }
        CronExpression cron = new CronExpression(text.strip(), fields);
        cron.next(Instant.EPOCH, ZoneId.of("UTC")); // refuse an expression that never matches (Feb 30) now, not at run time
        return cron;
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names, int nameBase) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, 1, max - min + 1, List.of(), 0, text);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else {
                int dash = range.indexOf('-', 1);
                from = number(dash >= 0 ? range.substring(0, dash) : range, name, min, max, names, nameBase, text);
                to = dash >= 0 ? number(range.substring(dash + 1), name, min, max, names, nameBase, text) : (slash >= 0 ? max : from);
                if (to < from) {
                    throw new InvalidValueException("the " + name + " range " + range + " runs backwards in \"" + text + "\"");
                }
            }
            for (int value = from; value <= to; value += step) {
                bits.set(value);
            }
        }
        return bits;
    }

    private static int number(String text, String name, int min, int max, List<String> names, int nameBase, String field) {
        int index = names.indexOf(text);
        if (index >= 0) {
            return index + nameBase;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidValueException("\"" + text + "\" in \"" + field + "\" is not a valid " + name + ": use " + min + "-" + max
                + (names.isEmpty() ? "" : " or " + names.get(0) + "-" + names.get(names.size() - 1)) + ", *, ranges a-b, steps */n and lists a,b");
    }

    /**
     * The first instant strictly after {@code after} that the expression matches, in {@code zone}'s
     * local time. Local times are matched, then placed in the zone: a time that a daylight-saving
     * change skips moves forward by the gap (02:30 becomes 03:30), and a time that occurs twice runs
     * once, at its first occurrence.
     *
     * @throws InvalidValueException if it never matches (such as the 30th of February)
     */
    public Instant next(Instant after, ZoneId zone) {
        LocalDateTime time = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int step = 0; step < SEARCH_STEPS; step++) {
            if (!months.get(time.getMonthValue())) {
                time = time.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(time)) {
                time = time.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(time.getHour())) {
                time = time.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(time.getMinute())) {
                time = time.plusMinutes(1);
            } else {
                Instant at = time.atZone(zone).toInstant();
                if (at.isAfter(after)) {
                    return at;
                }
                time = time.plusMinutes(1); // the second occurrence of a repeated hour: its times ran already
            }
        }
        throw new InvalidValueException("the cron expression \"" + text + "\" never matches a real date");
    }

    private boolean dayMatches(LocalDateTime time) {
        boolean monthDay = daysOfMonth.get(time.getDayOfMonth());
        boolean weekDay = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return monthDay || weekDay;
        }
        return monthDay && weekDay;
    }

    @Override
    public String toString() {
        return text;
    }
}
