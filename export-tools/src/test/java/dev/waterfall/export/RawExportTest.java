package dev.waterfall.export;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.config.rows.RawEntryCursor;
import dev.waterfall.config.rows.RawEntrySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The raw path of exports ({@link RawEntrySource}, the SQL stores' rows as text) against the typed
 * path ({@link ConfigStore#cursor()}, every row decoded and encoded again), on a real SQLite file
 * and a real PostgreSQL server: the same bytes in every format, for stress values, for rows written
 * by hand in forms Waterfall never writes, and the same refusal of broken rows. The typed path is
 * taken by handing the exporter the same store behind a {@link DelegatingStore}, which is no
 * {@code RawEntrySource}.
 */
class RawExportTest {

    @TempDir
    Path dir;

    private ExportWorld world;
    private int exports;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    private ConfigStore newStore(StoreKind kind) {
        return world.newStore(kind, "raw");
    }

    /** Every kind of value, and text that stresses JSON escaping, CSV quoting and the formula guard. */
    static Map<String, Value> values() {
        Map<String, Value> values = new LinkedHashMap<>(MigrationTest.stressValues());
        values.put("num.zero", new NumberValue("-0"));
        values.put("num.exp-upper", new NumberValue("1E+5"));
        values.put("num.exp-negative", new NumberValue("-2.5e-300"));
        values.put("num.huge", new NumberValue("9".repeat(400)));
        values.put("num.inf", new NumberValue("inf"));
        values.put("num.neg-inf", new NumberValue("-inf"));
        values.put("num.nan", new NumberValue("nan"));
        values.put("time.offset", new DateTimeValue(ValueType.OFFSET_DATE_TIME, "1979-05-27T07:32:00.999+02:00"));
        values.put("time.local", new DateTimeValue(ValueType.LOCAL_DATE_TIME, "1979-05-27T07:32:00"));
        values.put("time.date", new DateTimeValue(ValueType.LOCAL_DATE, "1979-05-27"));
        values.put("time.time", new DateTimeValue(ValueType.LOCAL_TIME, "07:32:00.5"));
        values.put("text.plus", Value.of("+1 555"));
        values.put("text.at", Value.of("@SUM(A1)"));
        values.put("text.tab", Value.of("\tindented"));
        values.put("text.cr", Value.of("\rcarriage"));
        values.put("text.equals", Value.of("=1+2"));
        values.put("text.separators", Value.of("line\u2028paragraph\u2029del\u007f bell\u0007 escape\u001b"));
        values.put("text.non-bmp", Value.of("\uD83D\uDE00\uD800\uDC00 \uD83C\uDF31"));
        values.put("text.latin", Value.of("\u00e9\u00e8\u00ff\u0100\uffff"));
        values.put("text.slash", Value.of("a/b\\c"));
        values.put("text.quotes", Value.of("\"\"\""));
        values.put("text.comma-only", Value.of(","));
        values.put("text.newlines", Value.of("\n\r\n"));
        values.put("text.json-like", Value.of("{\"a\":1}"));
        values.put("arr.empty", ArrayValue.of());
        values.put("table.empty", ArrayValue.of(new TableValue(Map.of()))); // a key names a leaf: tables sit in arrays
        Map<String, Value> members = new LinkedHashMap<>();
        members.put("z", Value.of(1));
        members.put("a", Value.of("\u00e9"));
        members.put("\u00e9", Value.nullValue());
        members.put("", ArrayValue.of(Value.of(true), Value.of(false)));
        members.put("ab", Value.of("x"));
        members.put("a\"b", Value.of("y"));
        values.put("table.members", ArrayValue.of(new TableValue(members)));
        Map<String, Value> many = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("m" + i, Value.of(i));
        }
        values.put("table.many", ArrayValue.of(new TableValue(many))); // more members than the raw check compares
        Value deep = Value.of("bottom");
        for (int i = 0; i < 100; i++) {
            deep = ArrayValue.of(deep, new TableValue(Map.of("d", Value.of(i))));
        }
        values.put("arr.deep", deep); // deeper than the raw check goes
        values.put("-", Value.of("-"));
        values.put("A.B_c-9", Value.of("mixed case key"));
        return values;
    }

    private void fill(ConfigStore store) {
        List<Change> changes = new ArrayList<>();
        values().forEach((key, value) -> changes.add(Change.set(Key.of(key), value)));
        store.apply(changes);
        world.clock.advance(Duration.ofMillis(1500));
        world.open(world.uri(0), "gui \u00e9\"x\",").store().set(Key.of("num.negative"), Value.of(-43));
        world.clock.advance(Duration.ofNanos(376_544_000));
        store.set(Key.of("whole"), Value.of("written at a whole second"));
        world.clock.advance(Duration.ofNanos(120_000_789));
        store.set(Key.of("milli"), Value.of("written at a whole millisecond, and some nanoseconds"));
    }

    private byte[] dump(ConfigStore store, DumpFormat format) throws IOException {
        world.clock.advance(Duration.ofSeconds(1));
        Path folder = dir.resolve("dumps-" + ++exports);
        return Files.readAllBytes(world.exporter().export(store, ExportRequest.to(folder, format).withStoreName("app")).dump());
    }

    static Stream<Arguments> kindsAndFormats() {
        List<Arguments> cases = new ArrayList<>();
        for (StoreKind kind : List.of(StoreKind.SQLITE, StoreKind.POSTGRES)) {
            for (DumpFormat format : DumpFormat.values()) {
                cases.add(Arguments.of(kind, format));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndFormats")
    void rawExport_ofStressValues_isByteIdenticalToTheTypedExport(StoreKind kind, DumpFormat format) throws IOException {
        ConfigStore store = newStore(kind);
        fill(store);
        assertThat(store).isInstanceOf(RawEntrySource.class);

        byte[] raw = dump(store, format);
        byte[] typed = dump(new DelegatingStore(store), format);

        assertThat(new String(raw, StandardCharsets.US_ASCII)).isEqualTo(new String(typed, StandardCharsets.US_ASCII));
        assertThat(raw).isEqualTo(typed);
        assertThat(new String(raw, StandardCharsets.US_ASCII)).contains("\\ud83d\\ude00", "\\u2028", "2026-11-26T07:00:01.623456Z",
                "2026-11-26T07:00:02Z", "2026-11-26T07:00:02.120Z", format == DumpFormat.CSV ? ",'-0," : "\"value\":-0,");
    }

    @ParameterizedTest
    @EnumSource(names = {"SQLITE", "POSTGRES"})
    void rawCursor_givesTheTypedCursorsEntriesAsCanonicalText(StoreKind kind) {
        ConfigStore store = newStore(kind);
        fill(store);

        List<String> expected = new ArrayList<>();
        try (EntryCursor cursor = store.cursor()) {
            while (cursor.hasNext()) {
                Entry entry = cursor.next();
                expected.add(String.join("|", entry.key().path(), JsonValues.write(entry.value(), false), entry.value().type().label(),
                        Long.toString(entry.revision()), entry.updatedAt().truncatedTo(ChronoUnit.MICROS).toString(),
                        entry.updatedBy().surface(), entry.updatedBy().user(), entry.updatedBy().host(),
                        Long.toString(entry.updatedBy().pid())));
            }
        }
        for (boolean counted : new boolean[] {true, false}) {
            List<String> raw = new ArrayList<>();
            try (RawEntryCursor cursor = ((RawEntrySource) store).rawCursor(counted)) {
                assertThat(cursor.revision()).isEqualTo(store.snapshot().revision());
                assertThat(cursor.size()).as("counted " + counted).isEqualTo(counted ? expected.size() : -1);
                for (RawEntryBytes entry = cursor.next(); entry != null; entry = cursor.next()) {
                    raw.add(String.join("|", entry.key(), entry.valueJson(), entry.type().label(), Long.toString(entry.revision()),
                            entry.updatedAt(), entry.surface(), entry.user(), entry.host(), Long.toString(entry.pid())));
                }
                assertThat(cursor.next()).as("after the last").isNull();
            }
            assertThat(raw).as("counted " + counted).hasSize(values().size() + 2).containsExactlyElementsOf(expected);
        }
    }

    /** Rows as another tool (or a hand) may write them: the raw path hands them on exactly as the typed path decodes them. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndFormats")
    void rawExport_ofRowsWrittenByHand_isByteIdenticalToTheTypedExport(StoreKind kind, DumpFormat format) throws Exception {
        ConfigStore store = newStore(kind);
        fill(store);
        Map<String, String> json = new LinkedHashMap<>();
        json.put("num.exact", " 0.1000000000000000000000000000001 ");
        json.put("arr.nested", "[ [1, []], [[[\"deep\"]]] ]");
        json.put("text.unicode", "\"Gr\\u00FC\\u00dfe, \\/ \\ud83c\\udf31\"");
        json.put("text.empty", "\"\"");
        json.put("text.control", "\"\\u0009 \\u000a \\u007F\"");
        json.put("null", "null ");
        json.put("bool", "\tfalse");
        json.put("arr.tables", "[{\"host\" : \"a\"}]");
        StringBuilder sql = new StringBuilder();
        json.forEach((key, text) -> sql.append("UPDATE ").append(table(kind)).append(" SET value = ").append(literal(text))
                .append(" WHERE ").append(where(kind, key)).append(";\n"));
        if (kind == StoreKind.SQLITE) {
            // Instant.parse reads them all; only the last is what Waterfall itself writes.
            String[][] times = {{"num.scale", "2026-01-01T00:00:00.000Z"}, {"num.big", "2026-01-01T00:00:00.123456789Z"},
                    {"num.exp", "2026-01-01T00:00:00.1Z"}, {"text.formula", "2026-01-01T00:00:00.120000Z"},
                    {"text.minus", "+10000-01-01T00:00:00Z"}, {"-leading-dash", "1969-12-31T23:59:59.999999Z"},
                    {"num.zero", "2024-02-29T23:59:59.000001Z"}, {"num.huge", "0000-01-01T00:00:00Z"}};
            for (String[] time : times) {
                sql.append("UPDATE entries SET updated_at = '").append(time[1]).append("' WHERE key = '").append(time[0]).append("';\n");
            }
            // An author's text is any text: a NUL, a non-BMP character, the packed row's own ',' and ':'.
            sql.append("UPDATE entries SET updated_by_host = 'h' || char(0) || 'o,s:t' || char(128512), updated_by_user = '',"
                    + " updated_by_pid = -7 WHERE key = 'bool';\n");
            sqlite(store, sql.toString());
        } else {
            String[][] times = {{"num.scale", "294276-12-31 23:59:59.999999+00"}, {"num.big", "4713-11-24 00:00:00+00 BC"}, {"num.exp", "0044-03-15 12:00:00.5+00 BC"},
                    {"text.formula", "12000-01-01 00:00:00+00"}, {"text.minus", "1969-12-31 23:59:59.999999+00"},
                    {"-leading-dash", "1970-01-01 00:00:00+00"}, {"num.zero", "2024-02-29 23:59:59.000001+00"}};
            for (String[] time : times) {
                sql.append("UPDATE waterfall.entries SET updated_at = '").append(time[1]).append("' WHERE ")
                        .append(where(kind, time[0])).append(";\n");
            }
            sql.append("UPDATE waterfall.entries SET updated_by_host = 'o,s:t' || chr(128512), updated_by_user = '', updated_by_pid = -7 WHERE ")
                    .append(where(kind, "bool")).append(";\n");
            psql(sql.toString());
        }

        byte[] raw = dump(store, format);
        byte[] typed = dump(new DelegatingStore(store), format);

        assertThat(new String(raw, StandardCharsets.US_ASCII)).isEqualTo(new String(typed, StandardCharsets.US_ASCII));
        assertThat(new String(raw, StandardCharsets.US_ASCII)).contains("\\u00fc\\u00df", "o,s:t\\ud83d\\ude00", kind == StoreKind.SQLITE
                ? "+10000-01-01T00:00:00Z" : "-0043-03-15T12:00:00.500Z");
    }

    /**
     * Thousands of rows, so that the SQL stores move them in several pages or batches (SQLite joins
     * 1,000 rows a page, split by control characters; PostgreSQL streams COPY's text format, with
     * its escapes): exactly two pages, and a few more rows than that, with authors whose text holds
     * those separators, escapes, tabs and line breaks.
     */
    @ParameterizedTest(name = "{0} {1} rows")
    @MethodSource("kindsAndSizes")
    void rawExport_ofManyRows_withSeparatorsInTheirText_isByteIdenticalToTheTypedExport(StoreKind kind, int rows) throws Exception {
        ConfigStore store = newStore(kind);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Value value = switch (i % 4) {
                case 0 -> Value.of("text " + i + ", \"quoted\"");
                case 1 -> Value.of(i);
                case 2 -> new DateTimeValue(ValueType.LOCAL_DATE, "2026-01-" + (10 + i % 20));
                default -> ArrayValue.of(Value.of(true), Value.of("\u00e9"));
            };
            changes.add(Change.set(Key.of("bulk.k" + String.format("%05d", i)), value));
        }
        store.apply(changes);
        String[] hosts = kind == StoreKind.SQLITE
                ? new String[] {"'a' || char(30) || 'b'", "'c' || char(31) || 'd'", "char(31) || char(30)", "'tab' || char(9) || 'nl' || char(10)",
                        "'back\\slash \\N'", "'nul' || char(0)", "''"}
                : new String[] {"'a' || chr(30) || 'b'", "'c' || chr(31) || 'd'", "chr(31) || chr(30)", "'tab' || chr(9) || 'nl' || chr(10) || chr(13)",
                        "'back\\slash \\N \\.'", "'\\'", "''"};
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            int row = (i * 337 + 998) % rows; // on both sides of page boundaries
            sql.append("UPDATE ").append(table(kind)).append(" SET updated_by_host = ").append(hosts[i]).append(", updated_by_surface = ")
                    .append(hosts[hosts.length - 1 - i]).append(" WHERE ").append(where(kind, "bulk.k" + String.format("%05d", row))).append(";\n");
        }
        run(kind, store, sql.toString());

        for (DumpFormat format : DumpFormat.values()) {
            byte[] raw = dump(store, format);
            byte[] typed = dump(new DelegatingStore(store), format);
            assertThat(new String(raw, StandardCharsets.US_ASCII)).as(format.name()).isEqualTo(new String(typed, StandardCharsets.US_ASCII));
            assertThat(raw).isEqualTo(typed);
        }
        try (RawEntryCursor cursor = ((RawEntrySource) store).rawCursor(true)) {
            List<String> keys = new ArrayList<>();
            for (RawEntryBytes entry = cursor.next(); entry != null; entry = cursor.next()) {
                keys.add(entry.key());
            }
            assertThat(keys).hasSize(rows).isSorted().doesNotHaveDuplicates();
        }
    }

    /**
     * An export cancelled in the middle of its rows ends the store's streaming (SQLite's pages,
     * PostgreSQL's COPY, cancelled on the server) and gives the connection back in a state fit for
     * the next use: the store writes, and the next export is complete and exact.
     */
    @ParameterizedTest
    @EnumSource(names = {"SQLITE", "POSTGRES"})
    void rawExport_cancelledMidway_leavesTheStoreFitForUse(StoreKind kind) throws Exception {
        ConfigStore store = newStore(kind);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            changes.add(Change.set(Key.of("bulk.k" + String.format("%05d", i)), Value.of("value " + i)));
        }
        store.apply(changes);
        for (int attempt = 0; attempt < 3; attempt++) { // more than a pool's worth of connections, were they lost
            AtomicInteger asked = new AtomicInteger();
            Path folder = dir.resolve("cancelled-" + ++exports);
            assertThatThrownBy(() -> world.exporter().export(store, ExportRequest.to(folder, DumpFormat.CSV)
                    .withCancellation(() -> asked.incrementAndGet() > 12_000)))
                    .isInstanceOf(CancellationException.class);
            assertThat(ExportWorld.names(folder)).containsExactly(".waterfall-export.lock");
        }
        try (RawEntryCursor cursor = ((RawEntrySource) store).rawCursor(true)) {
            assertThat(cursor.next().key()).isEqualTo("bulk.k00000"); // and closed after one row
        }

        store.set(Key.of("bulk.k00007"), Value.of("written after the cancellations"));

        byte[] raw = dump(store, DumpFormat.CSV);
        assertThat(raw).isEqualTo(dump(new DelegatingStore(store), DumpFormat.CSV));
        assertThat(new String(raw, StandardCharsets.US_ASCII).lines().count()).isEqualTo(30_001);
        assertThat(new String(raw, StandardCharsets.US_ASCII)).contains("bulk.k00007,\"\"\"written after the cancellations\"\"\"");
    }

    /**
     * SQLite's pages are read ahead on a thread of their own: a row that thread cannot read (a time
     * that is no time, on a page read column by column since a separator is in its text) fails the
     * export as it would without reading ahead, no thread is left reading, and the store is fit for
     * use afterwards, also while the caller stops in the middle of the pages.
     */
    @Test
    void rawExport_aFailureOfThePageReadAhead_reachesTheCallerAndLeavesNoThreadReading() throws Exception {
        ConfigStore store = newStore(StoreKind.SQLITE);
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            changes.add(Change.set(Key.of("bulk.k" + String.format("%05d", i)), Value.of(i)));
        }
        store.apply(changes);
        sqlite(store, "UPDATE entries SET updated_at = 'yesterday', updated_by_host = 'a' || char(31) || 'b' WHERE key = 'bulk.k03500';");

        Path folder = dir.resolve("read-ahead-" + ++exports);
        assertThatThrownBy(() -> world.exporter().export(store, ExportRequest.to(folder, DumpFormat.CSV)))
                .hasMessageContaining("yesterday");
        assertThat(ExportWorld.names(folder)).containsExactly(".waterfall-export.lock");
        try (RawEntryCursor cursor = ((RawEntrySource) store).rawCursor(false)) {
            assertThat(cursor.next().key()).isEqualTo("bulk.k00000"); // the reading thread has pages waiting when this closes
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith("waterfall-sqlite-pages"));

        sqlite(store, "UPDATE entries SET updated_at = '2026-11-26T07:00:00Z' WHERE key = 'bulk.k03500';");
        store.set(Key.of("bulk.k00007"), Value.of("written after"));
        byte[] raw = dump(store, DumpFormat.CSV);
        assertThat(raw).isEqualTo(dump(new DelegatingStore(store), DumpFormat.CSV));
        assertThat(new String(raw, StandardCharsets.US_ASCII).lines().count()).isEqualTo(5_001);
    }

    /**
     * A PostgreSQL time the raw path cannot give as an instant's text ({@code infinity}, which only a
     * hand can write): the export is refused with the row's key named, never written with a guess.
     */
    @Test
    void rawExport_ofAnInfiniteTimeInPostgres_isRefusedNamingTheKey() throws Exception {
        ConfigStore store = newStore(StoreKind.POSTGRES);
        fill(store);
        psql("UPDATE waterfall.entries SET updated_at = 'infinity' WHERE " + where(StoreKind.POSTGRES, "bool"));

        Path folder = dir.resolve("infinite");
        assertThatThrownBy(() -> world.exporter().export(store, ExportRequest.to(folder, DumpFormat.CSV)))
                .hasMessageContaining("key bool").hasMessageContaining("infinity").hasMessageContaining("fix or remove that row");
        assertThat(ExportWorld.names(folder)).containsExactly(".waterfall-export.lock");
    }

    static Stream<Arguments> kindsAndSizes() {
        List<Arguments> cases = new ArrayList<>();
        for (StoreKind kind : List.of(StoreKind.SQLITE, StoreKind.POSTGRES)) {
            for (int rows : List.of(2000, 2345)) {
                cases.add(Arguments.of(kind, rows));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @EnumSource(names = {"SQLITE", "POSTGRES"})
    void rawExport_ofABrokenRow_isRefusedAsTheTypedExportIs(StoreKind kind) throws Exception {
        ConfigStore store = newStore(kind);
        fill(store);
        for (String broken : List.of("value = '{\"a\":1,\"a\":2}'", "value = '[1,]'", "key = 'not a key'")) {
            String sql = "UPDATE " + table(kind) + " SET " + broken + " WHERE " + where(kind, "bool");
            String undo = "UPDATE " + table(kind) + " SET key = 'bool', value = 'false' WHERE "
                    + where(kind, broken.startsWith("key") ? "not a key" : "bool");
            run(kind, store, sql);

            for (ConfigStore exported : List.of(store, new DelegatingStore(store))) {
                Path folder = dir.resolve("broken-" + ++exports);
                assertThatThrownBy(() -> world.exporter().export(exported, ExportRequest.to(folder, DumpFormat.CSV)))
                        .as(broken).isInstanceOf(StoreBrokenException.class)
                        .hasMessageContaining(broken.startsWith("key") ? "not a valid key" : "value of bool is not valid");
                assertThat(ExportWorld.names(folder)).containsExactly(".waterfall-export.lock");
            }
            run(kind, store, undo);
        }
        assertThat(dump(store, DumpFormat.CSV)).isEqualTo(dump(new DelegatingStore(store), DumpFormat.CSV));
    }

    private static String table(StoreKind kind) {
        return kind == StoreKind.SQLITE ? "entries" : "waterfall.entries";
    }

    private String where(StoreKind kind, String key) {
        String clause = "key = " + literal(key);
        if (kind == StoreKind.POSTGRES) {
            String uri = world.uri(0);
            String namespace = uri.substring(uri.indexOf("namespace=") + "namespace=".length());
            assertThat(namespace).matches("export-test-[A-Za-z0-9-]+");
            clause += " AND namespace = '" + namespace + "'";
        }
        return clause;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private void run(StoreKind kind, ConfigStore store, String sql) throws Exception {
        if (kind == StoreKind.SQLITE) {
            sqlite(store, sql);
        } else {
            psql(sql);
        }
    }

    private void sqlite(ConfigStore store, String sql) throws Exception {
        String file = store.location().substring("sqlite:".length());
        int query = file.indexOf('?');
        tool(List.of("sqlite3", query < 0 ? file : file.substring(0, query)), sql);
    }

    private static void psql(String sql) throws Exception {
        tool(List.of("psql", StoreKind.postgresUrl(), "-X", "-q", "-v", "ON_ERROR_STOP=1"), sql);
    }

    /** Runs a database's own client with {@code sql} on its standard input. */
    private static void tool(List<String> command, String sql) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command.get(0) + ": " + output).isZero();
        assertThat(output).as(command.get(0)).doesNotContain("Error", "ERROR");
    }
}
