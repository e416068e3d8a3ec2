package dev.waterfall.export;

import dev.waterfall.config.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void parseInterval_humanAndIsoForms() {
        assertThat(ExportSchedule.parseInterval("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ExportSchedule.parseInterval("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ExportSchedule.parseInterval("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ExportSchedule.parseInterval("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(ExportSchedule.parseInterval(" 2H ")).isEqualTo(Duration.ofHours(2));
        assertThat(ExportSchedule.parseInterval("PT15M")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void parseInterval_nonsense_isRefusedWithTheForms() {
        for (String text : List.of("", "15", "m15", "15 minutes", "1h-5m", "-5m", "P")) {
            assertThatThrownBy(() -> ExportSchedule.parseInterval(text)).as(text)
                    .isInstanceOf(InvalidValueException.class).hasMessageContaining("15m");
        }
        assertThatThrownBy(() -> ExportSchedule.every(Duration.ofMillis(500))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void every_runsAtOnceThenEveryInterval() {
        ExportSchedule schedule = ExportSchedule.every(Duration.ofMinutes(15));
        Instant start = Instant.parse("2026-11-26T07:03:10Z");

        assertThat(schedule.first(start)).isEqualTo(start);
        assertThat(schedule.next(start)).isEqualTo(Instant.parse("2026-11-26T07:18:10Z"));
        assertThat(schedule.describe()).isEqualTo("every 15m");
    }

    @Test
    void cron_everyQuarterHour() {
        assertThat(runs("*/15 * * * *", "2026-11-26T07:03:10Z", 5)).containsExactly(
                "2026-11-26T07:15:00Z", "2026-11-26T07:30:00Z", "2026-11-26T07:45:00Z", "2026-11-26T08:00:00Z", "2026-11-26T08:15:00Z");
    }

    @Test
    void cron_weekdaysAtThree_skipsTheWeekend() {
        // 2026-11-27 is a Friday
        assertThat(runs("0 3 * * mon-fri", "2026-11-27T03:00:00Z", 2)).containsExactly("2026-11-30T03:00:00Z", "2026-12-01T03:00:00Z");
    }

    @Test
    void cron_dayOfMonthAndDayOfWeek_matchEither() {
        // the 1st of each month or any Sunday: Sun 29 Nov, Tue 1 Dec, Sun 6 Dec
        assertThat(runs("0 0 1 * sun", "2026-11-28T12:00:00Z", 3))
                .containsExactly("2026-11-29T00:00:00Z", "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z");
    }

    @Test
    void cron_listsRangesStepsNamesAndMacros() {
        assertThat(runs("5,35 9-10 * jan,dec *", "2026-12-31T09:06:00Z", 4))
                .containsExactly("2026-12-31T09:35:00Z", "2026-12-31T10:05:00Z", "2026-12-31T10:35:00Z", "2027-01-01T09:05:00Z");
        assertThat(runs("@daily", "2026-11-26T07:00:00Z", 1)).containsExactly("2026-11-27T00:00:00Z");
        assertThat(runs("@hourly", "2026-11-26T07:00:00Z", 1)).containsExactly("2026-11-26T08:00:00Z");
        assertThat(runs("0 0 * * 7", "2026-11-26T07:00:00Z", 1)).containsExactly("2026-11-29T00:00:00Z");
        assertThat(runs("0 12 29 2 *", "2026-03-01T00:00:00Z", 1)).containsExactly("2028-02-29T12:00:00Z");
    }

    @Test
    void cron_inALocalZone_followsDaylightSavingTime() {
        ExportSchedule schedule = ExportSchedule.cron("30 2 * * *", ZoneId.of("Europe/Berlin"));
        // 29 March 2026: 02:00 -> 03:00 in Berlin; 02:30 does not exist and moves on by the gap, to 03:30 CEST
        Instant saturday = ZonedDateTime.parse("2026-03-28T02:30:00+01:00[Europe/Berlin]").toInstant();

        Instant sunday = schedule.next(saturday);
        Instant monday = schedule.next(sunday);

        assertThat(sunday).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(monday).isEqualTo(ZonedDateTime.parse("2026-03-30T02:30:00+02:00[Europe/Berlin]").toInstant());
    }

    @Test
    void cron_inALocalZone_runsOnceInARepeatedHour() {
        ExportSchedule schedule = ExportSchedule.cron("30 2 * * *", ZoneId.of("Europe/Berlin"));
        // 25 October 2026: 03:00 CEST -> 02:00 CET in Berlin; 02:30 happens twice
        Instant saturday = ZonedDateTime.parse("2026-10-24T02:30:00+02:00[Europe/Berlin]").toInstant();

        Instant sunday = schedule.next(saturday);
        Instant monday = schedule.next(sunday);

        assertThat(sunday).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(monday).isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void cron_malformed_isRefusedNamingTheField() {
        assertThatThrownBy(() -> ExportSchedule.cron("* * * *", UTC)).hasMessageContaining("five");
        assertThatThrownBy(() -> ExportSchedule.cron("60 * * * *", UTC)).hasMessageContaining("minute");
        assertThatThrownBy(() -> ExportSchedule.cron("* 24 * * *", UTC)).hasMessageContaining("hour");
        assertThatThrownBy(() -> ExportSchedule.cron("* * 0 * *", UTC)).hasMessageContaining("day of month");
        assertThatThrownBy(() -> ExportSchedule.cron("* * * foo *", UTC)).hasMessageContaining("month");
        assertThatThrownBy(() -> ExportSchedule.cron("* * * * 8", UTC)).hasMessageContaining("day of week");
        assertThatThrownBy(() -> ExportSchedule.cron("5-1 * * * *", UTC)).hasMessageContaining("backwards");
        assertThatThrownBy(() -> ExportSchedule.cron("@often", UTC)).hasMessageContaining("macro");
        assertThatThrownBy(() -> ExportSchedule.cron("0 0 30 2 *", UTC)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("never matches");
    }

    private static List<String> runs(String cron, String after, int count) {
        ExportSchedule schedule = ExportSchedule.cron(cron, UTC);
        List<String> runs = new ArrayList<>();
        Instant at = schedule.first(Instant.parse(after));
        for (int i = 0; i < count; i++) {
            runs.add(at.toString());
            at = schedule.next(at);
        }
        return runs;
    }
}
