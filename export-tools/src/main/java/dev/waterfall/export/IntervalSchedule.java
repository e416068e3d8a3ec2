package dev.waterfall.export;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** A fixed interval, the first run at once. */
final class IntervalSchedule implements ExportSchedule {
    private final Duration every;

    IntervalSchedule(Duration every) {
        this.every = every;
    }

    @Override
    public Instant first(Instant start) {
        return start;
    }

    @Override
    public Instant next(Instant previous) {
        return previous.plus(every);
    }

    @Override
    public String describe() {
        return "every " + every.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
