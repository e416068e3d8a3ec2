package dev.waterfall.export;

import dev.waterfall.export.internal.CronExpression;

import java.time.Instant;
import java.time.ZoneId;

/** A cron expression in a time zone. */
final class CronSchedule implements ExportSchedule {
    private final CronExpression expression;
    private final ZoneId zone;

    CronSchedule(CronExpression expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
    }

    @Override
    public Instant first(Instant start) {
        return expression.next(start, zone);
    }

    @Override
    public Instant next(Instant previous) {
        return expression.next(previous, zone);
    }

    @Override
    public String describe() {
        return "cron \"" + expression + "\" (" + zone + ")";
    }
}
