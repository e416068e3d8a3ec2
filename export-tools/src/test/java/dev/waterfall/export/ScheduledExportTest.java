package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ScheduledExportTest {

    @TempDir
    Path dir;

    private ExportWorld world;
    private ConfigStore store;
    private Path storeFile;
    private Path out;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
        storeFile = dir.resolve("store/config.json");
        store = world.store("json:" + storeFile);
        out = dir.resolve("exports");
    }

    @AfterEach
    void close() {
        world.close();
    }

    /**
     * A schedule whose sleeper moves the test clock instead of waiting, and which calls
     * {@code duringSleep} with the clock's new time, so a test can change the world between runs.
     */
    private ScheduledExport schedule(ExportSchedule when, Duration until, Consumer<Instant> duringSleep) {
        Instant end = world.clock.instant().plus(until);
        ScheduledExport[] self = new ScheduledExport[1];
        ScheduledExport.Sleeper sleeper = duration -> {
            world.clock.advance(duration);
            duringSleep.accept(world.clock.instant());
            if (!world.clock.instant().isBefore(end)) {
                self[0].stop();
            }
        };
        self[0] = new ScheduledExport(world.exporter(), store, ExportRequest.to(out, DumpFormat.CSV).withKeep(100), when, world.clock, sleeper,
                new ScheduledExport.Listener() {
                    @Override
                    public void exported(ExportResult result, Instant next) {
                        events.add(world.clock.instant() + (result.written() ? " wrote " + result.dump().getFileName() : " unchanged")
                                + ", next " + next);
                    }

                    @Override
                    public void failed(RuntimeException failure, Instant next) {
                        events.add(world.clock.instant() + " failed (" + failure.getClass().getSimpleName() + "), next " + next);
                    }

                    @Override
                    public void stopped() {
                        events.add("stopped");
                    }
                });
        return self[0];
    }

    @Test
    void run_every15m_exportsAtOnceAndSkipsRunsWhileTheStoreIsUnchanged() {
        store.set(Key.of("a"), Value.of(1));

        schedule(ExportSchedule.every(Duration.ofMinutes(15)), Duration.ofMinutes(60), now -> {
            if (now.equals(Instant.parse("2026-11-26T07:30:00.123456Z"))) {
                store.set(Key.of("a"), Value.of(2));
            }
        }).run();

        assertThat(events).containsExactly(
                "2026-11-26T07:00:00.123456Z wrote 20261126T070000Z_config_export.csv, next 2026-11-26T07:15:00.123456Z",
                "2026-11-26T07:15:00.123456Z unchanged, next 2026-11-26T07:30:00.123456Z",
                "2026-11-26T07:30:00.123456Z wrote 20261126T073000Z_config_export.csv, next 2026-11-26T07:45:00.123456Z",
                "2026-11-26T07:45:00.123456Z unchanged, next 2026-11-26T08:00:00.123456Z",
                "stopped");
        assertThat(ExportWorld.names(out)).filteredOn(name -> name.endsWith("Z_config_export.csv")).hasSize(2);
    }

    @Test
    void run_cron_runsOnlyAtMatchingTimes() {
        store.set(Key.of("a"), Value.of(1));

        schedule(ExportSchedule.cron("0 */2 * * *", java.time.ZoneOffset.UTC), Duration.ofHours(5), now -> store.set(Key.of("t"), Value.of(now.toString()))).run();

        assertThat(events).containsExactly(
                "2026-11-26T08:00:00Z wrote 20261126T080000Z_config_export.csv, next 2026-11-26T10:00:00Z",
                "2026-11-26T10:00:00Z wrote 20261126T100000Z_config_export.csv, next 2026-11-26T12:00:00Z",
                "2026-11-26T12:00:00Z wrote 20261126T120000Z_config_export.csv, next 2026-11-26T14:00:00Z",
                "stopped");
    }

    @Test
    void run_storeBrokenOrUnreachable_reportsAndRecoversAtTheNextRun() throws IOException {
        store.set(Key.of("a"), Value.of(1));
        String good = Files.readString(storeFile);

        schedule(ExportSchedule.every(Duration.ofMinutes(15)), Duration.ofMinutes(75), now -> {
            try {
                switch (now.toString()) {
                    case "2026-11-26T07:15:00.123456Z" -> Files.writeString(storeFile, "{ \"a\": 1,"); // a torn hand edit
                    case "2026-11-26T07:30:00.123456Z" -> {
                        Files.delete(storeFile);
                        Files.createDirectory(storeFile); // unreadable: an I/O error on every read
                    }
                    case "2026-11-26T07:45:00.123456Z" -> {
                        Files.delete(storeFile);
                        Files.writeString(storeFile, good.replace("1", "3"));
                    }
                    default -> { }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).run();

        assertThat(events).containsExactly(
                "2026-11-26T07:00:00.123456Z wrote 20261126T070000Z_config_export.csv, next 2026-11-26T07:15:00.123456Z",
                "2026-11-26T07:15:00.123456Z failed (" + StoreBrokenException.class.getSimpleName() + "), next 2026-11-26T07:30:00.123456Z",
                "2026-11-26T07:30:00.123456Z failed (" + StoreUnavailableException.class.getSimpleName() + "), next 2026-11-26T07:45:00.123456Z",
                "2026-11-26T07:45:00.123456Z wrote 20261126T074500Z_config_export.csv, next 2026-11-26T08:00:00.123456Z",
                "2026-11-26T08:00:00.123456Z unchanged, next 2026-11-26T08:15:00.123456Z",
                "stopped");
        assertThat(ExportWorld.read(out.resolve("latest_export.csv"))).contains("\na,3,number,2,");
    }

    @Test
    void run_aRunThatOverruns_skipsTheRunsItMissed() {
        store.set(Key.of("a"), Value.of(1));
        List<String> written = new ArrayList<>();
        ScheduledExport[] self = new ScheduledExport[1];
        ExportProgress takesForever = (done, total) -> world.clock.advance(Duration.ofMinutes(20));
        self[0] = new ScheduledExport(world.exporter(), store, ExportRequest.to(out, DumpFormat.CSV).withProgress(takesForever),
                ExportSchedule.every(Duration.ofMinutes(15)), world.clock, duration -> {
                    world.clock.advance(duration);
                    store.set(Key.of("a"), Value.of(world.clock.instant().toString()));
                }, new ScheduledExport.Listener() {
                    @Override
                    public void exported(ExportResult result, Instant next) {
                        written.add(result.details().startedAt() + " next " + next);
                        if (written.size() == 2) {
                            self[0].stop();
                        }
                    }
                });

        self[0].run();

        assertThat(written).containsExactly("2026-11-26T07:00:00.123456Z next 2026-11-26T07:45:00.123456Z",
                "2026-11-26T07:45:00.123456Z next 2026-11-26T08:30:00.123456Z");
    }

    @Test
    void stop_whileWaiting_endsTheRunAtOnce() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        ScheduledExport watched = new ScheduledExport(world.exporter(), store, ExportRequest.to(out, DumpFormat.CSV),
                ExportSchedule.every(Duration.ofDays(1)), world.clock, ScheduledExport.Sleeper.REAL, new ScheduledExport.Listener() {
                    @Override
                    public void waiting(Instant next) {
                        waiting.countDown();
                    }
                });
        Thread runner = new Thread(watched::run);
        runner.start();
        assertThat(waiting.await(60, TimeUnit.SECONDS)).isTrue();

        watched.stop();

        assertThat(watched.awaitStopped(Duration.ofSeconds(30))).isTrue();
        runner.join(30_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(watched.isStopping()).isTrue();
    }

    @Test
    void stop_duringAnExport_leavesNoPartialDump() throws Exception {
        store.apply(ExporterTest.manyKeys(30_000));
        ScheduledExport[] self = new ScheduledExport[1];
        List<String> heard = new ArrayList<>();
        ExportProgress stopHalfWay = (done, total) -> {
            if (done == 10_000) {
                self[0].stop(); // as a SIGTERM's shutdown hook would, from another thread, while rows are written
            }
        };
        self[0] = new ScheduledExport(world.exporter(), store, ExportRequest.to(out, DumpFormat.CSV).withProgress(stopHalfWay),
                ExportSchedule.every(Duration.ofMinutes(15)), world.clock, ScheduledExport.Sleeper.REAL, new ScheduledExport.Listener() {
                    @Override
                    public void exported(ExportResult result, Instant next) {
                        heard.add("exported");
                    }

                    @Override
                    public void failed(RuntimeException failure, Instant next) {
                        heard.add("failed " + failure);
                    }

                    @Override
                    public void stopped() {
                        heard.add("stopped");
                    }
                });

        self[0].run();

        assertThat(heard).containsExactly("stopped");
        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock");
    }
}
