package dev.waterfall.export;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.contract.FaultyFileOps;
import dev.waterfall.file.FileLocks;
import dev.waterfall.file.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExporterTest {

    private static final String ACTOR = "{\"surface\":\"test\",\"user\":\"tester\",\"host\":\"testhost\",\"pid\":4242}";
    private static final String AT = "2026-11-26T07:00:00.123456Z";

    @TempDir
    Path dir;

    private ExportWorld world;
    private ConfigStore store;
    private Path out;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
        store = world.store("json:" + dir.resolve("store/config.json"));
        out = dir.resolve("exports");
    }

    @AfterEach
    void close() {
        world.close();
    }

    private void fillSample() {
        store.set(Key.of("a.text"), Value.of("h\u00e9llo, \"world\"\n"));
        store.set(Key.of("b.neg"), Value.of(-5));
        store.set(Key.of("c.formula"), Value.of("=1+2"));
        store.set(Key.of("d.list"), ArrayValue.of(Value.of(1), new TableValue(Map.of("x", Value.nullValue()))));
        store.set(Key.of("-dash"), Value.of(true));
    }

    private ExportResult export(DumpFormat format) {
        return world.exporter().export(store, ExportRequest.to(out, format));
    }

    @Test
    void export_csv_isSortedAsciiWithQuotingAndFormulaGuards() {
        fillSample();

        ExportResult result = export(DumpFormat.CSV);

        assertThat(ExportWorld.read(result.dump())).isEqualTo(""
                + "key,value,type,revision,updated_at,updated_by\n"
                + "'-dash,true,boolean,5," + AT + "," + csvQuoted(ACTOR) + "\n"
                + "a.text,\"\"\"h\\u00e9llo, \\\"\"world\\\"\"\\n\"\"\",string,1," + AT + "," + csvQuoted(ACTOR) + "\n"
                + "b.neg,'-5,number,2," + AT + "," + csvQuoted(ACTOR) + "\n"
                + "c.formula,\"\"\"=1+2\"\"\",string,3," + AT + "," + csvQuoted(ACTOR) + "\n"
                + "d.list,\"[1,{\"\"x\"\":null}]\",array,4," + AT + "," + csvQuoted(ACTOR) + "\n");
    }

    @Test
    void export_ndjsonAndJson_holdTheSameRows() {
        fillSample();

        String ndjson = ExportWorld.read(export(DumpFormat.NDJSON).dump());
        world.clock.advance(Duration.ofSeconds(1));
        String json = ExportWorld.read(export(DumpFormat.JSON).dump());

        String first = "{\"key\":\"-dash\",\"value\":true,\"type\":\"boolean\",\"revision\":5,\"updated_at\":\"" + AT + "\",\"updated_by\":" + ACTOR + "}";
        String second = "{\"key\":\"a.text\",\"value\":\"h\\u00e9llo, \\\"world\\\"\\n\",\"type\":\"string\",\"revision\":1,\"updated_at\":\""
                + AT + "\",\"updated_by\":" + ACTOR + "}";
        List<String> lines = ndjson.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo(first);
        assertThat(lines.get(1)).isEqualTo(second);
        assertThat(ndjson).endsWith("}\n").doesNotContain("\r");
        assertThat(json).isEqualTo("[\n" + String.join(",\n", lines) + "\n]\n");
    }

    @Test
    void export_emptyStore_writesHeaderOnlyDumps() {
        assertThat(ExportWorld.read(export(DumpFormat.CSV).dump())).isEqualTo("key,value,type,revision,updated_at,updated_by\n");
        assertThat(ExportWorld.read(export(DumpFormat.JSON).dump())).isEqualTo("[\n]\n");
        assertThat(ExportWorld.read(export(DumpFormat.NDJSON).dump())).isEmpty();
    }

    @Test
    void export_isByteForByteDeterministic() throws IOException {
        fillSample();

        byte[] first = Files.readAllBytes(export(DumpFormat.CSV).dump());
        world.clock.advance(Duration.ofHours(1));
        byte[] second = Files.readAllBytes(world.exporter().export(world.store("json:" + dir.resolve("store/config.json")),
                ExportRequest.to(out, DumpFormat.CSV)).dump());

        assertThat(second).isEqualTo(first);
        assertThat(new String(first, StandardCharsets.US_ASCII).chars().allMatch(c -> c < 0x80)).isTrue();
    }

    @Test
    void export_namesFilesByUtcTimeAndStore_andWritesAMetaFile() throws Exception {
        fillSample();

        ExportResult result = export(DumpFormat.CSV);

        assertThat(result.written()).isTrue();
        assertThat(result.dump().getFileName()).hasToString("20261126T070000Z_config_export.csv");
        assertThat(result.meta().getFileName()).hasToString("20261126T070000Z_config_export_meta.json");
        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock", "20261126T070000Z_config_export.csv",
                "20261126T070000Z_config_export_meta.json", "latest_export.csv");
        ExportMeta meta = ExportMeta.read(result.meta());
        byte[] dump = Files.readAllBytes(result.dump());
        assertThat(meta).isEqualTo(result.details());
        assertThat(meta.rows()).isEqualTo(5);
        assertThat(meta.bytes()).isEqualTo(dump.length);
        assertThat(meta.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dump)));
        assertThat(meta.source()).isEqualTo("json:" + dir.resolve("store/config.json"));
        assertThat(meta.storeName()).isEqualTo("config");
        assertThat(meta.storeRevision()).isEqualTo(5);
        assertThat(meta.schemaVersion()).isEqualTo(1);
        assertThat(meta.toolVersion()).isEqualTo(world.exporter().toolVersion()).isNotEqualTo("unknown");
        assertThat(meta.startedAt()).isEqualTo(world.clock.instant());
        String text = ExportWorld.read(result.meta());
        assertThat(text).contains("\"file\": \"20261126T070000Z_config_export.csv\"", "\"format\": \"csv\"",
                "\"columns\": [\"key\",\"value\",\"type\",\"revision\",\"updated_at\",\"updated_by\"]", "\"duration_ms\": 0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(result.dump()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");
    }

    @Test
    void export_latestExport_isAlwaysTheNewestCompleteDump() throws IOException {
        store.set(Key.of("a"), Value.of(1));
        ExportResult first = export(DumpFormat.CSV);
        store.set(Key.of("a"), Value.of(2));
        world.clock.advance(Duration.ofMinutes(15));

        ExportResult second = export(DumpFormat.CSV);

        Path latest = out.resolve("latest_export.csv");
        assertThat(second.latest()).isEqualTo(latest);
        assertThat(Files.readAllBytes(latest)).isEqualTo(Files.readAllBytes(second.dump())).isNotEqualTo(Files.readAllBytes(first.dump()));
        assertThat(Files.isSymbolicLink(latest)).isFalse();
        assertThat(Files.isSameFile(latest, second.dump())).as("a hard link, where the file system has them").isTrue();
    }

    @Test
    void export_keep_deletesTheOldestDumpsWithTheirMetaFiles() {
        List<ExportResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            store.set(Key.of("n"), Value.of(i));
            results.add(world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withKeep(2)));
            world.clock.advance(Duration.ofMinutes(1));
        }

        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock",
                "20261126T070300Z_config_export.csv", "20261126T070300Z_config_export_meta.json",
                "20261126T070400Z_config_export.csv", "20261126T070400Z_config_export_meta.json", "latest_export.csv");
        assertThat(results.get(4).removed()).extracting(path -> path.getFileName().toString())
                .containsExactly("20261126T070200Z_config_export_meta.json", "20261126T070200Z_config_export.csv");
    }

    @Test
    void export_keep_touchesOnlyThisStoresDumpsOfThisFormat() throws IOException {
        Files.createDirectories(out);
        for (String name : List.of("20200101T000000Z_config_export.json", "20200101T000000Z_other_export.csv",
                "20200101T000000Z_config_export.csv.bak", "notes.txt")) {
            Files.writeString(out.resolve(name), "keep me");
        }

        world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withKeep(1));
        world.clock.advance(Duration.ofMinutes(1));
        world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withKeep(1));

        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock", "20200101T000000Z_config_export.csv.bak",
                "20200101T000000Z_config_export.json", "20200101T000000Z_other_export.csv",
                "20261126T070100Z_config_export.csv", "20261126T070100Z_config_export_meta.json", "latest_export.csv", "notes.txt");
    }

    @Test
    void export_skipUnchanged_writesNothingUntilTheStoreChanges() {
        store.set(Key.of("a"), Value.of(1));
        ExportResult first = world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withSkipUnchanged(true));
        world.clock.advance(Duration.ofMinutes(15));

        ExportResult unchanged = world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withSkipUnchanged(true));
        store.set(Key.of("a"), Value.of(2));
        world.clock.advance(Duration.ofMinutes(15));
        ExportResult changed = world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withSkipUnchanged(true));

        assertThat(first.written()).isTrue();
        assertThat(unchanged.written()).isFalse();
        assertThat(unchanged.dump()).isEqualTo(first.dump());
        assertThat(unchanged.details().storeRevision()).isEqualTo(1);
        assertThat(changed.written()).isTrue();
        assertThat(changed.details().storeRevision()).isEqualTo(2);
        assertThat(ExportWorld.names(out)).filteredOn(name -> name.endsWith("Z_config_export.csv")).hasSize(2);
    }

    @Test
    void export_storeNameThatWouldLeaveTheFolder_isRefusedAndWritesNothing() throws IOException {
        Files.createDirectories(out);
        for (String name : List.of("../escape", "/etc/passwd", "a/b", "a\\b", "..", ".hidden", "a\0b", "", "x".repeat(65), "a..b")) {
            assertThatThrownBy(() -> ExportRequest.to(out, DumpFormat.CSV).withStoreName(name))
                    .as(name.replace("\0", "NUL"))
                    .isInstanceOf(DumpException.class)
                    .hasMessageContaining("invalid export name");
        }

        ExportRequest unchecked = new ExportRequest(out, DumpFormat.CSV, java.util.Optional.of("../escape"), 0, false,
                ExportProgress.NONE, () -> false, Duration.ofSeconds(5), false);
        assertThatThrownBy(() -> world.exporter().export(store, unchecked)).isInstanceOf(DumpException.class)
                .hasMessageContaining("invalid export name");
        assertThat(ExportWorld.names(out)).isEmpty();
        assertThat(ExportWorld.names(dir)).containsExactly("exports");
    }

    @Test
    void export_storeNameFromAnOddFileName_staysInTheFolder() {
        ConfigStore odd = world.store("json:" + dir.resolve("store/..my store (1)..json"));
        odd.set(Key.of("a"), Value.of(1));

        ExportResult result = world.exporter().export(odd, ExportRequest.to(out, DumpFormat.NDJSON));

        assertThat(result.dump().getParent()).isEqualTo(out.toAbsolutePath());
        assertThat(result.dump().getFileName()).hasToString("20261126T070000Z_my-store-1-._export.ndjson");
    }

    @Test
    void export_cancelled_leavesNothingBehind() throws IOException {
        store.set(Key.of("k0"), Value.of(0));
        export(DumpFormat.CSV);
        world.clock.advance(Duration.ofMinutes(1));
        store.apply(manyKeys(25_000));
        byte[] before = Files.readAllBytes(out.resolve("latest_export.csv"));
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV)
                .withCancellation(() -> asked.incrementAndGet() > 12_000)))
                .isInstanceOf(CancellationException.class);

        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock", "20261126T070000Z_config_export.csv",
                "20261126T070000Z_config_export_meta.json", "latest_export.csv");
        assertThat(Files.readAllBytes(out.resolve("latest_export.csv"))).isEqualTo(before);
    }

    @Test
    void export_progress_isReportedAsRowsAreWritten() {
        List<Long> reported = new ArrayList<>();
        store.apply(manyKeys(25_000));

        world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV).withProgress((done, total) -> {
            assertThat(total).isEqualTo(25_000);
            reported.add(done);
        }));

        assertThat(reported).containsExactly(0L, 10_000L, 20_000L, 25_000L);
    }

    @Test
    void export_aFailureAtAnyStep_neverLeavesAPartialDumpUnderAFinalName() throws IOException {
        store.set(Key.of("a"), Value.of(1));
        export(DumpFormat.CSV);
        byte[] previous = Files.readAllBytes(out.resolve("latest_export.csv"));
        store.set(Key.of("a"), Value.of(2));
        List<String> failedSteps = new ArrayList<>();

        for (int step = 1; step < 40; step++) {
            world.clock.advance(Duration.ofSeconds(1));
            FaultyFileOps faulty = new FaultyFileOps(FileOps.real(), step);
            Exporter exporter = new Exporter(world.clock, faulty, new FileLocks());
            try {
                exporter.export(store, ExportRequest.to(out, DumpFormat.CSV).withKeep(3));
            } catch (DumpException e) {
                failedSteps.add(faulty.failed());
            }
            for (String name : ExportWorld.names(out)) {
                Path file = out.resolve(name);
                if (name.endsWith("_export.csv") || name.equals("latest_export.csv")) {
                    String text = ExportWorld.read(file);
                    assertThat(text).as("step %d: %s is complete", step, name).satisfiesAnyOf(
                            content -> assertThat(content).isEqualTo(new String(previous, StandardCharsets.US_ASCII)),
                            content -> assertThat(content).contains("\na,2,number,2,").endsWith("}\"\n"));
                }
            }
            if (faulty.failed() == null) {
                break;
            }
        }

        assertThat(failedSteps).as("every step was failed once").hasSizeGreaterThan(5);
        world.clock.advance(Duration.ofSeconds(1));
        export(DumpFormat.CSV);
        assertThat(ExportWorld.names(out)).noneMatch(name -> name.endsWith(".tmp"));
    }

    /**
     * A dump larger than {@link Exporter#SYNC_EVERY} is fsynced while it is written; a sync that
     * fails then fails the export as the final one would (a later fsync need not report the same
     * error again), and leaves no partial dump.
     */
    @Test
    void export_aSyncThatFailsWhileALargeDumpIsWritten_failsTheExportAndLeavesThePreviousDump() throws IOException {
        store.apply(manyKeys(200_000));
        export(DumpFormat.CSV);
        byte[] previous = Files.readAllBytes(out.resolve("latest_export.csv"));
        assertThat((long) previous.length).as("the dump is large enough to be synced as it grows").isGreaterThan(Exporter.SYNC_EVERY);
        store.set(Key.of("k0"), Value.of(-1));
        world.clock.advance(Duration.ofSeconds(1));
        FaultyFileOps faulty = FaultyFileOps.failingFirst(FileOps.real(), "force");
        Exporter exporter = new Exporter(world.clock, faulty, new FileLocks());

        assertThatThrownBy(() -> exporter.export(store, ExportRequest.to(out, DumpFormat.CSV)))
                .isInstanceOf(DumpException.class).hasMessageContaining("as it was written").hasMessageContaining("injected failure");

        assertThat(faulty.failed()).startsWith("force");
        assertThat(Files.readAllBytes(out.resolve("latest_export.csv"))).isEqualTo(previous);
        assertThat(ExportWorld.names(out)).noneMatch(name -> name.endsWith(".tmp"))
                .filteredOn(name -> name.endsWith("_export.csv") && !name.startsWith("latest")).hasSize(1);
        world.clock.advance(Duration.ofSeconds(1));
        export(DumpFormat.CSV);
        assertThat(ExportWorld.read(out.resolve("latest_export.csv"))).contains("\nk0,'-1,number,");
    }

    @Test
    void export_orphanTempFilesOfACrash_areDeletedByTheNextExport() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(".20261126T065900Z_config_export.csv.0123abcd.tmp"), "key,value\npartial");
        Files.writeString(out.resolve(".latest_export.csv.99.tmp"), "partial");
        Files.writeString(out.resolve(".someone-elses.txt.1.tmp"), "not ours");

        export(DumpFormat.CSV);

        assertThat(ExportWorld.names(out)).contains(".someone-elses.txt.1.tmp")
                .noneMatch(name -> name.contains("config_export.csv.") || name.startsWith(".latest_export"));
    }

    @Test
    void export_twiceInOneSecond_movesTheSecondNameOnAndReplacesNothing() throws IOException {
        store.set(Key.of("a"), Value.of(1));
        ExportResult first = export(DumpFormat.CSV);
        byte[] bytes = Files.readAllBytes(first.dump());
        store.set(Key.of("a"), Value.of(2));

        ExportResult json = export(DumpFormat.JSON);
        ExportResult second = export(DumpFormat.CSV);

        assertThat(Files.readAllBytes(first.dump())).isEqualTo(bytes);
        assertThat(json.dump().getFileName()).hasToString("20261126T070001Z_config_export.json");
        assertThat(second.dump().getFileName()).hasToString("20261126T070002Z_config_export.csv");
        assertThat(second.details().startedAt()).isEqualTo(world.clock.instant());
        assertThat(ExportMeta.read(first.meta()).format()).isEqualTo(DumpFormat.CSV);
    }

    @Test
    void export_metaFile_readsBackExactly() {
        fillSample();
        ExportResult result = export(DumpFormat.JSON);

        assertThat(ExportMeta.read(result.meta())).isEqualTo(result.details());
        assertThat(result.details().format()).isEqualTo(DumpFormat.JSON);
    }

    private static String csvQuoted(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    static List<Change> manyKeys(int count) {
        List<Change> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(Change.set(Key.of("k" + i), Value.of(i)));
        }
        return batch;
    }
}
