package dev.waterfall.export;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps, imports and migrations between every kind of store, each a real one: what goes in comes
 * out, values, types and metadata, byte for byte in the dumps.
 */
class CrossStoreTest {

    @TempDir
    Path dir;

    private ExportWorld world;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    private ConfigStore newStore(StoreKind kind, String name) {
        return world.newStore(kind, name);
    }

    /** The stress values in several commits by two surfaces, with a removal, as in {@link MigrationTest}. */
    private void fill(ConfigStore store, Map<String, Value> values) {
        List<Change> first = new ArrayList<>();
        values.forEach((key, value) -> first.add(Change.set(Key.of(key), value)));
        store.apply(first);
        world.clock.advance(Duration.ofMillis(1500));
        world.open(world.uri(0), "gui").store().set(Key.of("num.negative"), Value.of(-43));
        world.clock.advance(Duration.ofSeconds(1));
        store.set(Key.of("gone"), Value.of(1));
        store.unset(Key.of("gone"));
    }

    private byte[] dump(ConfigStore store, DumpFormat format, String folder) throws Exception {
        world.clock.advance(Duration.ofSeconds(1));
        return Files.readAllBytes(world.exporter().export(store, ExportRequest.to(dir.resolve(folder), format).withStoreName("app")).dump());
    }

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (StoreKind from : StoreKind.values()) {
            for (StoreKind to : StoreKind.values()) {
                for (DumpFormat format : DumpFormat.values()) {
                    pairs.add(Arguments.of(from, to, format));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {2} -> {1}")
    @MethodSource("pairs")
    void exportImportExport_betweenAnyTwoKinds_givesTheSameBytes(StoreKind from, StoreKind to, DumpFormat format) throws Exception {
        ConfigStore source = newStore(from, "source");
        fill(source, to.holdable(from.holdable(MigrationTest.stressValues())));
        byte[] original = dump(source, format, "a");
        Path file = Files.list(dir.resolve("a")).filter(p -> p.getFileName().toString().endsWith("Z_app_export." + format.extension()))
                .findFirst().orElseThrow();
        ConfigStore target = newStore(to, "target");

        CopyResult result = Migration.importDump(file, target, CopyOptions.DEFAULTS);

        assertThat(result.verified()).as(result.verification().toString()).isTrue();
        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.COPY_WITH_METADATA);
        assertThat(dump(target, format, "b")).isEqualTo(original);
        assertThat(target.snapshot().revision()).isEqualTo(source.snapshot().revision());
    }

    @Test
    void migrate_jsonToSqliteToPostgresToJson_keepsEveryValueTypeAndMetadataExactly() throws Exception {
        ConfigStore json = newStore(StoreKind.JSON, "first");
        fill(json, MigrationTest.stressValues());
        ConfigStore sqlite = newStore(StoreKind.SQLITE, "second");
        ConfigStore postgres = newStore(StoreKind.POSTGRES, "third");
        ConfigStore back = newStore(StoreKind.JSON, "fourth");

        for (ConfigStore[] step : new ConfigStore[][] {{json, sqlite}, {sqlite, postgres}, {postgres, back}}) {
            CopyResult result = Migration.migrate(step[0], step[1], CopyOptions.DEFAULTS);
            assertThat(result.verification().orElseThrow().summary()).as(step[1].location()).startsWith("verified: ")
                    .contains("revisions, times (to the microsecond) and authors");
        }

        assertSame(json.snapshot(), back.snapshot());
        assertThat(back.history(HistoryQuery.all().limit(1000))).isEqualTo(json.history(HistoryQuery.all().limit(1000))).hasSize(18);
        for (DumpFormat format : DumpFormat.values()) {
            assertThat(dump(back, format, "back")).as(format.name()).isEqualTo(dump(json, format, "original"));
        }
    }

    @Test
    void migrate_sqliteToTomlToPostgresToSqlite_keepsDateTimesAndNonFiniteNumbers() throws Exception {
        Map<String, Value> values = new LinkedHashMap<>(MigrationTest.stressValues());
        values.put("time.offset", DateTimeValue.of(OffsetDateTime.parse("1979-05-27T07:32:00.999999-07:00")));
        values.put("time.local", DateTimeValue.of(LocalDateTime.parse("1979-05-27T07:32:00")));
        values.put("time.date", DateTimeValue.of(LocalDate.parse("1979-05-27")));
        values.put("time.time", DateTimeValue.of(LocalTime.parse("00:32:00.123456789")));
        values.put("float.inf", new NumberValue("inf"));
        values.put("float.minus-inf", new NumberValue("-inf"));
        values.put("float.nan", new NumberValue("nan"));
        ConfigStore sqlite = newStore(StoreKind.SQLITE, "first");
        fill(sqlite, StoreKind.TOML.holdable(values));
        ConfigStore toml = newStore(StoreKind.TOML, "second");
        ConfigStore postgres = newStore(StoreKind.POSTGRES, "third");
        ConfigStore back = newStore(StoreKind.SQLITE, "fourth");

        for (ConfigStore[] step : new ConfigStore[][] {{sqlite, toml}, {toml, postgres}}) {
            assertThat(Migration.migrate(step[0], step[1], CopyOptions.DEFAULTS).verified()).as(step[1].location()).isTrue();
        }
        CopyResult last = Migration.migrate(postgres, back, CopyOptions.DEFAULTS);

        assertThat(last.verified()).isTrue();
        assertSame(sqlite.snapshot(), back.snapshot());
        assertThat(dump(back, DumpFormat.CSV, "back")).isEqualTo(dump(sqlite, DumpFormat.CSV, "original"));
    }

    @Test
    void migrate_dateTimesIntoJson_areReportedAsDifferences() {
        ConfigStore sqlite = newStore(StoreKind.SQLITE, "first");
        sqlite.set(Key.of("when"), DateTimeValue.of(LocalDate.parse("1979-05-27")));
        ConfigStore json = newStore(StoreKind.JSON, "second");

        CopyResult result = Migration.migrate(sqlite, json, CopyOptions.DEFAULTS);

        assertThat(result.verified()).isFalse();
        assertThat(result.verification().orElseThrow().differences())
                .containsExactly("when: source holds \"1979-05-27\" (date-local), target holds \"1979-05-27\" (string)");
    }

    private static void assertSame(Snapshot expected, Snapshot actual) {
        assertThat(actual.revision()).isEqualTo(expected.revision());
        assertThat(actual.entries().values().stream().map(e -> e.withLine(0)).toList())
                .isEqualTo(expected.entries().values().stream().map(e -> e.withLine(0)).toList());
    }

}
