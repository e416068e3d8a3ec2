package dev.waterfall.export;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationTest {

    @TempDir
    Path dir;

    private ExportWorld world;
    private ConfigStore source;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
        source = world.store(uri("source"));
    }

    @AfterEach
    void close() {
        world.close();
    }

    private String uri(String name) {
        return "json:" + dir.resolve(name).resolve("config.json");
    }

    /** Values that stress every type a JSON store holds, written in several commits by two surfaces, with a removal. */
    static Map<String, Value> stressValues() {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("num.exact", new NumberValue("0.1000000000000000000000000000001"));
        values.put("num.scale", new NumberValue("1.50"));
        values.put("num.big", new NumberValue("-123456789012345678901234567890123456789"));
        values.put("num.exp", new NumberValue("6.02e23"));
        values.put("num.negative", Value.of(-42));
        values.put("arr.nested", ArrayValue.of(ArrayValue.of(Value.of(1), ArrayValue.of()), ArrayValue.of(ArrayValue.of(ArrayValue.of(Value.of("deep"))))));
        values.put("arr.tables", ArrayValue.of(new TableValue(Map.of("host", Value.of("a"), "ports", ArrayValue.of(Value.of(1), Value.of(2)))),
                new TableValue(Map.of("nested", new TableValue(Map.of("x", Value.nullValue())))), new TableValue(Map.of())));
        values.put("text.unicode", Value.of("Gr\u00fc\u00dfe, \u4e16\u754c, \uD83C\uDF31, \u05E9\u05DC\u05D5\u05DD"));
        values.put("text.empty", Value.of(""));
        values.put("text.formula", Value.of("=HYPERLINK(\"http://x\",\"y\")"));
        values.put("text.control", Value.of("tab\there\nnewline \u0000 nul, comma, \"quote\""));
        values.put("text.minus", Value.of("-not a number"));
        values.put("null", Value.nullValue());
        values.put("bool", Value.of(false));
        values.put("-leading-dash", Value.of("key starts with a minus"));
        return values;
    }

    private void fill(ConfigStore store) {
        List<Change> first = new ArrayList<>();
        stressValues().forEach((key, value) -> first.add(Change.set(Key.of(key), value)));
        store.apply(first);
        world.clock.advance(Duration.ofMillis(1500));
        world.open(uri("source"), "gui").store().set(Key.of("num.negative"), Value.of(-43));
        world.clock.advance(Duration.ofSeconds(1));
        store.set(Key.of("gone"), Value.of(1));
        store.unset(Key.of("gone"));
    }

    private ExportResult export(ConfigStore store, Path folder, DumpFormat format) {
        world.clock.advance(Duration.ofSeconds(1));
        return world.exporter().export(store, ExportRequest.to(folder, format).withStoreName("app"));
    }

    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void importDump_intoANewStore_exportsTheSameBytes(DumpFormat format) throws IOException {
        fill(source);
        ExportResult original = export(source, dir.resolve("a"), format);
        ConfigStore target = world.store(uri("target"));

        CopyResult result = Migration.importDump(original.dump(), target, CopyOptions.DEFAULTS);

        ExportResult copy = export(target, dir.resolve("b"), format);
        assertThat(Files.readAllBytes(copy.dump())).isEqualTo(Files.readAllBytes(original.dump()));
        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.COPY_WITH_METADATA);
        assertThat(result.verified()).isTrue();
        assertThat(result.verification().orElseThrow().summary())
                .isEqualTo("verified: source and target hold the same 15 entries (keys, values, types, revisions, times (to the microsecond) and authors)");
        assertThat(result.dumpMeta()).contains(original.details());
        assertThat(target.snapshot().revision()).isEqualTo(source.snapshot().revision()).isEqualTo(4);
        assertThat(copy.details().storeRevision()).isEqualTo(original.details().storeRevision());
    }

    @Test
    void importDump_latestExport_isCheckedAgainstTheMetaWithItsHash() throws IOException {
        fill(source);
        ExportResult original = export(source, dir.resolve("a"), DumpFormat.CSV);
        ConfigStore target = world.store(uri("target"));

        CopyResult result = Migration.importDump(original.latest(), target, CopyOptions.DEFAULTS);

        assertThat(result.dumpMeta()).contains(original.details());
        assertThat(target.snapshot().revision()).isEqualTo(4);
    }

    /** Issue 15, item 5: cut at a row boundary, latest_export.csv imported 2 of 4 rows with exit 0. */
    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void importDump_aLatestExportCutOff_isRefused_whetherItStillSharesTheDumpsFileOrNot(DumpFormat format) throws IOException {
        for (int i = 0; i < 4; i++) {
            source.set(Key.of("k" + i), Value.of(i));
        }
        ExportResult original = export(source, dir.resolve("a"), format);
        Path latest = original.latest();
        byte[] whole = Files.readAllBytes(latest);
        int cut = cutAtARowBoundary(whole, format);
        ConfigStore target = world.store(uri("target"));

        // cut in place (the dated dump, a hard link to the same file, is cut with it) ...
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(latest, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        assertThatThrownBy(() -> Migration.importDump(latest, target, CopyOptions.DEFAULTS))
                .isInstanceOf(DumpException.class)
                .hasMessageEndingWith("nothing was imported");
        // ... and as a file of its own: its meta is nowhere, and a latest_export is never without one
        Files.delete(latest);
        Files.write(latest, java.util.Arrays.copyOf(whole, cut));
        assertThatThrownBy(() -> Migration.importDump(latest, target, CopyOptions.DEFAULTS))
                .isInstanceOf(DumpException.class)
                .hasMessageContaining("latest_export")
                .hasMessageEndingWith("nothing was imported");

        assertThat(target.snapshot().size()).isZero();
    }

    /** Where to cut {@code dump} so that two whole rows remain (CSV and NDJSON then still parse; a JSON array is left open). */
    private static int cutAtARowBoundary(byte[] dump, DumpFormat format) {
        String text = new String(dump, java.nio.charset.StandardCharsets.UTF_8);
        int at = 0;
        for (int line = 0; line < (format == DumpFormat.CSV ? 3 : 2); line++) {
            at = text.indexOf('\n', at) + 1;
        }
        assertThat(at).isPositive();
        return at;
    }

    @Test
    void importDump_changedAfterTheExport_isRefusedAndWritesNothing() throws IOException {
        source.set(Key.of("port"), Value.of(8080));
        ExportResult original = export(source, dir.resolve("a"), DumpFormat.CSV);
        Files.writeString(original.dump(), Files.readString(original.dump()).replace("8080", "8081"));
        ConfigStore target = world.store(uri("target"));

        assertThatThrownBy(() -> Migration.importDump(original.dump(), target, CopyOptions.DEFAULTS))
                .isInstanceOf(DumpException.class)
                .hasMessageContaining("does not match its meta file")
                .hasMessageEndingWith("nothing was imported");

        assertThat(target.snapshot().size()).isZero();
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void importDump_malformedRowHalfWay_writesNothing() throws IOException {
        Path dump = dir.resolve("hand-made.csv");
        String by = "\"{\"\"surface\"\":\"\"cli\"\",\"\"user\"\":\"\"u\"\",\"\"host\"\":\"\"h\"\",\"\"pid\"\":1}\"";
        Files.writeString(dump, "key,value,type,revision,updated_at,updated_by\n"
                + "a,1,number,1,2026-01-01T00:00:00Z," + by + "\n"
                + "b,oops,number,2,2026-01-01T00:00:00Z," + by + "\n");
        ConfigStore target = world.store(uri("target"));

        assertThatThrownBy(() -> Migration.importDump(dump, target, CopyOptions.DEFAULTS))
                .isInstanceOf(DumpException.class).hasMessageContaining("hand-made.csv:3");

        assertThat(target.snapshot().revision()).isZero();
    }

    @Test
    void importDump_withoutMeta_takesTheHighestRowRevision() throws IOException {
        fill(source);
        ExportResult original = export(source, dir.resolve("a"), DumpFormat.NDJSON);
        Path alone = dir.resolve("copied-away.ndjson");
        Files.copy(original.dump(), alone);
        ConfigStore target = world.store(uri("target"));

        CopyResult result = Migration.importDump(alone, target, CopyOptions.DEFAULTS);

        assertThat(result.dumpMeta()).isEmpty();
        assertThat(target.snapshot().revision()).isEqualTo(2);
        assertThat(result.verified()).isTrue();
    }

    @Test
    void migrate_intoANewStore_copiesEntriesMetadataAndHistory() {
        fill(source);
        ConfigStore target = world.store(uri("target"));

        CopyResult result = Migration.migrate(source, target, CopyOptions.DEFAULTS);

        Snapshot from = source.snapshot();
        Snapshot to = target.snapshot();
        assertThat(to.revision()).isEqualTo(from.revision());
        assertThat(to.entries().values().stream().map(e -> e.withLine(0)).toList())
                .isEqualTo(from.entries().values().stream().map(e -> e.withLine(0)).toList());
        List<HistoryRecord> history = target.history(HistoryQuery.all().limit(1000));
        assertThat(history).isEqualTo(source.history(HistoryQuery.all().limit(1000))).hasSize(18);
        assertThat(result.plan().historyRecords()).isEqualTo(18);
        assertThat(result.verification().orElseThrow().identical()).isTrue();
        assertThat(result.plan().describe()).containsExactly(
                "source: " + source.location() + " (revision 4, 15 entries)",
                "target: " + target.location() + " (new, never written)",
                "plan: copy 15 entries with their revisions, times and authors, and 18 history records; the target's revision becomes 4");
    }

    @Test
    void migrate_twice_secondRunHasNothingToDo() {
        fill(source);
        ConfigStore target = world.store(uri("target"));
        Migration.migrate(source, target, CopyOptions.DEFAULTS);
        long revision = target.snapshot().revision();

        CopyResult again = Migration.migrate(source, target, CopyOptions.DEFAULTS);

        assertThat(again.plan().method()).isEqualTo(CopyPlan.Method.NOTHING);
        assertThat(again.verified()).isTrue();
        assertThat(target.snapshot().revision()).isEqualTo(revision);
        assertThat(again.plan().describe().get(2)).isEqualTo("plan: nothing to do, the target already holds the source's 15 entries");
    }

    @Test
    void migrate_intoANonEmptyTarget_isRefusedAndWritesNothing() {
        fill(source);
        ConfigStore target = world.store(uri("target"));
        target.set(Key.of("mine"), Value.of("keep"));

        assertThatThrownBy(() -> Migration.migrate(source, target, CopyOptions.DEFAULTS))
                .isInstanceOf(TargetNotEmptyException.class)
                .hasMessageContaining("already holds 1 entry (0 with a value other than the source's, 1 not in the source)").hasMessageContaining("--merge").hasMessageContaining("--replace");

        assertThat(target.snapshot().entries().keySet()).containsExactly(Key.of("mine"));
    }

    @Test
    void migrate_merge_setsTheSourcesEntriesAndKeepsTheOthers() {
        source.set(Key.of("a"), Value.of(1));
        source.set(Key.of("b"), Value.of(2));
        ConfigStore target = world.store(uri("target"));
        target.set(Key.of("b"), Value.of(20));
        target.set(Key.of("c"), Value.of(3));

        CopyResult result = Migration.migrate(source, target, CopyOptions.DEFAULTS.withMode(CopyMode.MERGE));

        assertThat(values(target)).containsExactly(Map.entry("a", Value.of(1)), Map.entry("b", Value.of(2)), Map.entry("c", Value.of(3)));
        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.WRITES);
        assertThat(result.plan().describe().get(2)).isEqualTo("plan: one atomic write (merge): add 1, change 1, leave 0 equal, keep 1 only "
                + "in the target; the written keys get the target's next revision and this run as author");
        assertThat(result.verification().orElseThrow().identical()).isTrue();
        assertThat(target.snapshot().revision()).isEqualTo(3);
    }

    @Test
    void migrate_replace_makesTheTargetHoldExactlyTheSource() {
        source.set(Key.of("a.b"), Value.of(1));
        ConfigStore target = world.store(uri("target"));
        target.set(Key.of("a"), Value.of("a leaf where the source has a table"));
        target.set(Key.of("z"), Value.of(26));

        CopyResult result = Migration.migrate(source, target, CopyOptions.DEFAULTS.withMode(CopyMode.REPLACE));

        assertThat(values(target)).containsExactly(Map.entry("a.b", Value.of(1)));
        assertThat(result.verification().orElseThrow().summary()).isEqualTo("verified: source and target hold the same 1 entry (keys, values and types)");
    }

    @Test
    void migrate_dryRun_plansAndWritesNothing() {
        fill(source);
        ConfigStore target = world.store(uri("target"));

        CopyResult result = Migration.migrate(source, target, CopyOptions.DEFAULTS.withDryRun(true));

        assertThat(result.dryRun()).isTrue();
        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.COPY_WITH_METADATA);
        assertThat(result.plan().toAdd()).isEqualTo(15);
        assertThat(result.verification()).isEmpty();
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void migrate_targetChangedAfterThePlan_failsWhole() {
        source.set(Key.of("a"), Value.of(1));
        ConfigStore target = world.store(uri("target"));
        target.set(Key.of("a"), Value.of(0));
        ConfigStore racing = world.store(uri("target"));
        ConfigStore sneaky = new DelegatingStore(target) {
            @Override
            public dev.waterfall.config.Commit apply(List<? extends Change> changes) {
                racing.set(Key.of("a"), Value.of("changed between plan and write"));
                return super.apply(changes);
            }
        };

        assertThatThrownBy(() -> Migration.migrate(source, sneaky, CopyOptions.DEFAULTS.withMode(CopyMode.MERGE)))
                .isInstanceOf(RevisionConflictException.class);

        assertThat(target.get(Key.of("a"))).map(Entry::value).contains(Value.of("changed between plan and write"));
    }

    @Test
    void migrate_sameStore_isRefused() {
        assertThatThrownBy(() -> Migration.migrate(source, world.store(uri("source")), CopyOptions.DEFAULTS))
                .isInstanceOf(WaterfallException.class).hasMessageContaining("same store");
    }

    @Test
    void migrate_intoAStoreWrittenBefore_copiesValuesAsOrdinaryWrites() {
        fill(source);
        ConfigStore target = world.store(uri("target"));
        target.set(Key.of("old"), Value.of(1));
        target.unset(Key.of("old"));

        CopyResult result = Migration.migrate(source, target, CopyOptions.DEFAULTS);

        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.WRITES);
        assertThat(result.verified()).isTrue();
        assertThat(target.snapshot().revision()).isEqualTo(3);
        assertThat(values(target)).isEqualTo(values(source));
    }

    private static Map<String, Value> values(ConfigStore store) {
        Map<String, Value> values = new LinkedHashMap<>();
        store.snapshot().entries().forEach((key, entry) -> values.put(key.path(), entry.value()));
        return values;
    }
}
