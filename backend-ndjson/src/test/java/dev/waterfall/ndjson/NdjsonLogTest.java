package dev.waterfall.ndjson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ChildWriter;
import dev.waterfall.contract.ContractWorld;
import dev.waterfall.contract.DocExamples;
import dev.waterfall.contract.FaultyFileOps;
import dev.waterfall.contract.JavaProcess;
import dev.waterfall.contract.ProcessTrials;
import dev.waterfall.file.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The NDJSON store's own promises (docs/architecture.md, "The durable-file protocol"), on a real file system with
 * real processes: one line per commit, concurrent writers (Java and the Python function of docs/protocol.md) lose
 * nothing, kill -9 never corrupts, a torn last line is set aside, a damaged line is a clear error
 * that no write gets past, an I/O failure leaves the log as it was, compaction keeps every value.
 */
class NdjsonLogTest {

    @TempDir
    Path dir;

    private ContractWorld world;
    private Path file;
    private String uri;

    @BeforeEach
    void setUp() {
        world = new ContractWorld(dir);
        file = dir.resolve("config.ndjson");
        uri = "ndjson:" + file;
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private ConfigStore store() {
        return world.open(uri).store();
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ the format

    @Test
    void eachCommit_isOneLine_withRevisionTimeAuthorAndChanges() throws Exception {
        Waterfall waterfall = world.open(uri, builder -> builder.clock(ContractWorld.fixedClock()));
        ConfigStore store = waterfall.store();
        store.set(key("server.port"), Value.of(8080));
        store.apply(List.of(Change.set(key("ui.theme"), Value.of("dark")), Change.unset(key("server.port"))));
        store.set(key("ui.theme"), Value.of("dark")); // no change: no line

        assertThat(lines()).containsExactly(
                "{\"rev\":1,\"at\":\"2026-11-26T07:00:00.123Z\",\"by\":{\"surface\":\"test\",\"user\":\"tester\",\"host\":\"testhost\",\"pid\":4242},"
                        + "\"changes\":[{\"key\":\"server.port\",\"value\":8080}]}",
                "{\"rev\":2,\"at\":\"2026-11-26T07:00:00.123Z\",\"by\":{\"surface\":\"test\",\"user\":\"tester\",\"host\":\"testhost\",\"pid\":4242},"
                        + "\"changes\":[{\"key\":\"ui.theme\",\"value\":\"dark\"},{\"key\":\"server.port\",\"unset\":true}]}");
        assertThat(store.get(key("ui.theme"))).map(Entry::line).contains(2);
    }

    @Test
    void theFirstWrite_createsAnOwnerOnlyFileInOwnerOnlyFolders_andReadsCreateNothing() throws Exception {
        Path nested = dir.resolve("new").resolve("deeper");
        ConfigStore store = world.open("ndjson:" + nested.resolve("state.ndjson")).store();
        assertThat(store.get(key("a"))).isEmpty();
        assertThat(dir.resolve("new")).doesNotExist();

        store.set(key("a"), Value.of(1));

        assertThat(mode(nested.resolve("state.ndjson"))).isEqualTo("rw-------");
        assertThat(mode(nested)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("new"))).isEqualTo("rwx------");
    }

    @Test
    void valuesJsonCannotSay_carryTheirType_andReadBackAsThemselves() throws Exception {
        Value when = new DateTimeValue(ValueType.OFFSET_DATE_TIME, "2026-11-26T04:00:00Z");
        store().set(key("backup.at"), when);
        store().set(key("limit"), new NumberValue("inf"));
        store().set(key("text"), Value.of("line\nbreak \u2028 caf\u00e9 \"quoted\""));

        assertThat(lines()).hasSize(3).allSatisfy(line -> assertThat(isOneJsonObject(line)).as(line).isTrue());
        assertThat(lines().get(0)).contains("\"value\":\"2026-11-26T04:00:00Z\",\"type\":\"datetime\"");
        ConfigStore fresh = store();
        assertThat(fresh.get(key("backup.at"))).map(Entry::value).contains(when);
        assertThat(fresh.get(key("limit"))).map(Entry::value).contains(new NumberValue("inf"));
        assertThat(fresh.get(key("text"))).map(Entry::value).contains(Value.of("line\nbreak \u2028 caf\u00e9 \"quoted\""));
    }

    /**
     * Found by the power-cut trials (docs/reliability.md): a cut during a compaction leaves the
     * compaction's temp file, and before this the log never removed it, so every later cut of the
     * same store counted it again. The next write removes it, as the JSON and TOML stores' do.
     */
    @Test
    void anOrphanTempFileOfACutCompaction_isRemovedByTheNextWrite() throws Exception {
        store().set(key("a"), Value.of(1));
        Path orphan = file.resolveSibling("." + file.getFileName() + ".4f2a9c.tmp");
        Files.writeString(orphan, "{\"rev\":1,\"snap", StandardCharsets.UTF_8);

        store().set(key("b"), Value.of(2)); // a new instance, as the next command or program after the cut

        assertThat(orphan).doesNotExist();
        assertThat(store().snapshot().entries()).containsOnlyKeys(key("a"), key("b"));
    }

    @Test
    void aLineWithALoneSurrogate_isRefusedWithLineAndColumn_andNoWriteBuildsOnIt() throws Exception {
        store().set(key("b"), Value.of(1));
        String external = "{\"rev\":2,\"at\":\"2026-11-26T07:00:00Z\",\"changes\":[{\"key\":\"a\",\"value\":\"x\\udc00\"}]}\n";
        Files.writeString(file, external, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<String> before = lines();

        assertThatThrownBy(() -> store().get(key("a")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining("lone UTF-16 surrogate U+DC00");
        assertThatThrownBy(() -> store().set(key("b"), Value.of(2))).isInstanceOf(StoreBrokenException.class);

        assertThat(lines()).isEqualTo(before); // before: read as "x?", and a snapshot line would have kept "x?"
    }

    @Test
    void anOutsideLineWithARevisionAboveTheBound_isRefusedWithLineAndColumn_andNoWriteWrapsAround() throws Exception {
        store().set(key("b"), Value.of(1));
        Files.writeString(file, "{\"rev\":9223372036854775807,\"at\":\"2026-11-26T07:00:00Z\",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<String> before = lines();

        assertThatThrownBy(() -> store().get(key("a")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining("9223372036854775807");
        assertThatThrownBy(() -> store().set(key("b"), Value.of(2))).isInstanceOf(StoreBrokenException.class);

        assertThat(lines()).isEqualTo(before); // before: the write appended rev -9223372036854775808 and the log no longer read
    }

    @Test
    void theDocumentedExample_readsAsTheDocsSayIt_andAWriteGoesOnFromIt() throws Exception {
        Files.write(file, DocExamples.code("ndjson-example").getBytes(StandardCharsets.UTF_8));

        ConfigStore store = store();
        Snapshot snapshot = store.snapshot();
        assertThat(snapshot.revision()).isEqualTo(2);
        assertThat(snapshot.entries()).containsOnlyKeys(key("ui.theme"));
        Entry theme = snapshot.get(key("ui.theme")).orElseThrow();
        assertThat(theme.value()).isEqualTo(Value.of("dark"));
        assertThat(theme.updatedBy()).isEqualTo(new Actor("gui", "ana", "desk", 4377));
        assertThat(theme.line()).isEqualTo(2);
        List<HistoryRecord> history = store.history(HistoryQuery.all());
        assertThat(history).extracting(HistoryRecord::key).containsExactly(key("server.port"), key("ui.theme"), key("server.port"));
        assertThat(history.get(0).oldValue()).contains(Value.of(8080));
        assertThat(history.get(0).isUnset()).isTrue();

        assertThat(store.set(key("server.port"), Value.of(9090)).revision()).isEqualTo(3);
    }

    @Test
    void aSymbolicallyLinkedLog_staysALink_andIsReadAndWrittenThroughIt() throws Exception {
        Path real = dir.resolve("dotfiles").resolve("state.ndjson");
        Files.createDirectories(real.getParent());
        Files.createSymbolicLink(file, real); // dangling until the first write

        store().set(key("a"), Value.of(1));
        store().set(key("b"), Value.of(2));

        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(Files.readAllLines(real)).hasSize(2);
        assertThat(store().snapshot().entries()).containsOnlyKeys(key("a"), key("b"));
    }

    // ------------------------------------------------------------ many processes, other languages

    /**
     * Issue 15, item 1, for the log: compare-and-set writers in Java and the Python writer of docs/protocol.md
     * incrementing one counter under the lock. A log line carries its own revision, one above the
     * last, so a revision names exactly one content whoever appended it; the count must be exact.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void compareAndSetWriters_andTheReadmesPythonWriterIncrementing_countExactly() throws Exception {
        store().set(key("counter"), Value.of(0));
        int javaWriters = 3;
        int times = 40;
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < javaWriters; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "counter", uri, "counter", Integer.toString(times)));
        }
        // Under the lock, read the counter's last value from the log and append the next one with
        // the protocol function, which takes the same lock again (POSIX locks belong to the process) and
        // releases it when it closes its descriptor, after its fsync.
        String script = DocExamples.code("python-ndjson-protocol") + "\nimport sys\n"
                + "path, key = sys.argv[1], sys.argv[2]\n"
                + "def last(path, key):\n"
                + "    value = None\n"
                + "    with open(path, 'rb') as f:\n"
                + "        for line in f.read().split(b'\\n'):\n"
                + "            if not line.strip():\n"
                + "                continue\n"
                + "            record = json.loads(line)\n"
                + "            if 'snapshot' in record:\n"
                + "                value = next((e['value'] for e in record['snapshot'] if e['key'] == key), None)\n"
                + "            for change in record.get('changes', []):\n"
                + "                if change['key'] == key:\n"
                + "                    value = change.get('value')\n"
                + "    return value\n"
                + "for i in range(int(sys.argv[3])):\n"
                + "    lock = os.open(path + '.lock', os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)\n"
                + "    try:\n"
                + "        fcntl.lockf(lock, fcntl.LOCK_EX)\n"
                + "        waterfall_log_set(path, key, last(path, key) + 1)\n"
                + "    finally:\n"
                + "        os.close(lock)\n";
        processes.add(new ProcessBuilder("python3", "-c", script, file.toString(), "counter", Integer.toString(times))
                .redirectErrorStream(true).start());
        ProcessTrials.awaitSuccess(processes);

        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of((long) (javaWriters + 1) * times));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_andTheDocumentedPythonWriter_loseNothing() throws Exception {
        store().set(key("seed"), Value.of(0));
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "distinct", uri, "p" + p, "250"));
        }
        String script = DocExamples.code("python-ndjson-protocol") + "\nimport sys\n"
                + "for i in range(int(sys.argv[3])):\n"
                + "    waterfall_log_set(sys.argv[1], sys.argv[2] + '.k' + str(i), i)\n";
        processes.add(new ProcessBuilder("python3", "-c", script, file.toString(), "py", "250").redirectErrorStream(true).start());
        ProcessTrials.awaitSuccess(processes);

        ConfigStore store = store();
        Snapshot snapshot = store.snapshot();
        for (String writer : List.of("p0", "p1", "p2", "p3", "py")) {
            for (int i = 0; i < 250; i++) {
                assertThat(snapshot.get(key(writer + ".k" + i))).as(writer + ".k" + i).map(Entry::value).contains(Value.of(i));
            }
        }
        assertThat(snapshot.size()).isEqualTo(1 + 5 * 250);
        assertThat(snapshot.revision()).as("one revision per commit, none lost or repeated").isEqualTo(1 + 5 * 250);
        assertThat(snapshot.get(key("py.k0")).orElseThrow().updatedBy().surface()).isEqualTo("python");
        assertThat(lines()).hasSize(1 + 5 * 250);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_incrementingOneCounterWithCompareAndSet_countExactly() throws Exception {
        ProcessTrials.incrementFromProcesses(uri, "counter", 4, 100);

        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of(400));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killDashNine_atRandomInstants_neverCorruptsNorLosesAnAcknowledgedWrite() throws Exception {
        ProcessTrials.killDashNine(dir, uri + "?compact-after=40", () -> store().snapshot(), 50);

        assertThat(store().diagnose()).noneMatch(finding -> finding.severity() == Diagnostic.Severity.ERROR);
        assertThat(lines().size()).as("compaction ran on the way and kept the log short").isLessThan(100);
    }

    // ------------------------------------------------------------ torn and damaged lines

    @Test
    void aTornLastLine_isNotRead_andTheNextWriteMovesItToBroken() throws Exception {
        store().set(key("a"), Value.of(1));
        byte[] whole = Files.readAllBytes(file);
        String torn = "{\"rev\":2,\"at\":\"2026-11-26T07:00:00Z\",\"changes\":[{\"key\":\"a\",\"val";
        Files.write(file, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        ConfigStore reader = store();
        assertThat(reader.get(key("a"))).map(Entry::value).contains(Value.of(1));
        assertThat(reader.snapshot().revision()).isEqualTo(1);
        assertThat(reader.diagnose()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(finding.message()).contains("no newline");
        });

        assertThat(store().set(key("b"), Value.of(2)).revision()).isEqualTo(2);

        assertThat(Files.readString(dir.resolve("config.ndjson.broken"))).isEqualTo(torn + "\n");
        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(new String(whole, StandardCharsets.UTF_8)).isEqualTo(lines.get(0) + "\n");
        assertThat(lines.get(1)).startsWith("{\"rev\":2,");
        assertThat(reader.snapshot().entries()).containsOnlyKeys(key("a"), key("b"));
    }

    @Test
    void aLastLineThatLacksOnlyItsNewline_isAWholeRecord_andIsKept() throws Exception {
        store().set(key("a"), Value.of(1));
        Files.writeString(file, "{\"rev\":2,\"at\":\"2026-11-26T07:00:00Z\",\"changes\":[{\"key\":\"by.hand\",\"value\":true}]}",
                StandardOpenOption.APPEND);

        store().set(key("b"), Value.of(2));

        Snapshot snapshot = store().snapshot();
        assertThat(snapshot.revision()).isEqualTo(3);
        assertThat(snapshot.get(key("by.hand")).orElseThrow().updatedBy()).isEqualTo(Actor.EXTERNAL);
        assertThat(dir.resolve("config.ndjson.broken")).doesNotExist();
    }

    @Test
    void aDamagedLine_isAnErrorWithLineAndColumn_andNoWriteGetsPastIt() throws Exception {
        store().set(key("a"), Value.of(1));
        store().set(key("b"), Value.of(2));
        List<String> lines = lines();
        Files.write(file, List.of(lines.get(0), "{\"rev\":2,\"at\":\"2026-11-26T07:00:00Z\",\"changes\":[{\"key\":\"b\",\"value\":tru}]}",
                lines.get(1).replace("\"rev\":2", "\"rev\":3")), StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> store().get(key("a")))
                .isInstanceOfSatisfying(StoreBrokenException.class, e -> {
                    assertThat(e.source()).isEqualTo(file.toString());
                    assertThat(e.line()).contains(2);
                    assertThat(e.column()).hasValueSatisfying(column -> assertThat(column).isBetween(68, 72));
                })
                .hasMessageContaining("fix or remove that line");
        assertThatThrownBy(() -> store().set(key("c"), Value.of(3))).isInstanceOf(StoreBrokenException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(store().diagnose()).anyMatch(finding -> finding.severity() == Diagnostic.Severity.ERROR
                && finding.message().contains(":2:"));
    }

    @Test
    void recordsThatBreakTheLogsRules_areErrorsNamingTheLine() throws Exception {
        String at = "\"at\":\"2026-11-26T07:00:00Z\"";
        Map<String, String> broken = Map.of(
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":1," + at + ",\"changes\":[{\"key\":\"b\",\"value\":1}]}\n",
                "not above the previous record",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2," + at + ",\"changes\":[{\"key\":\"a.b\",\"value\":1}]}\n",
                "a.b",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2," + at + ",\"changes\":[{\"key\":\"bad..key\",\"value\":1}]}\n",
                "bad..key",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2," + at + ",\"chan\n{\"rev\":3}\n",
                "not a JSON object",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2," + at + ",\"changes\":[{\"key\":\"caf\u00e9\",\"value\":\"\u00ff\u00fe\"}]}\n",
                "Invalid UTF-8",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2,\"changes\":[{\"key\":\"b\",\"value\":1}]}\n",
                "\"at\"",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n{\"rev\":2," + at + ",\"changes\":[{\"key\":\"b\"}]}\n",
                "either \"value\" or \"unset\"",
                "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"a\",\"value\":1}]}\n[1,2]\n",
                "a record is a JSON object");
        for (Map.Entry<String, String> sample : broken.entrySet()) {
            byte[] bytes = sample.getKey().getBytes(StandardCharsets.UTF_8);
            if (sample.getValue().equals("Invalid UTF-8")) {
                bytes = sample.getKey().getBytes(StandardCharsets.ISO_8859_1); // "\u00ff\u00fe" as the bytes FF FE
            }
            Files.write(file, bytes);
            assertThatThrownBy(() -> store().snapshot()).as(sample.getKey())
                    .isInstanceOfSatisfying(StoreBrokenException.class, e -> {
                        assertThat(e.line()).contains(2);
                        assertThat(e.column()).as("the column, like the other stores' errors: %s", e.getMessage()).isPresent();
                        assertThat(e.getMessage()).startsWith(file + ":2:" + e.column().get() + ": ");
                    })
                    .hasMessageContaining(sample.getValue());
        }
    }

    @Test
    void aFileRewrittenInPlace_isReadAgainWhole() throws Exception {
        ConfigStore store = store();
        store.set(key("a"), Value.of(1));
        store.set(key("b"), Value.of(2));
        assertThat(store.snapshot().size()).isEqualTo(2);
        String at = "\"at\":\"2026-11-26T07:00:00Z\"";
        String other = "{\"rev\":1," + at + ",\"changes\":[{\"key\":\"x\",\"value\":\"rewritten in place, and longer than before it was\"}]}\n"
                + "{\"rev\":2," + at + ",\"changes\":[{\"key\":\"y\",\"value\":\"so that the old read position lies inside this text\"}]}\n"
                + "{\"rev\":3," + at + ",\"changes\":[{\"key\":\"z\",\"value\":3}]}\n";
        Files.writeString(file, other, StandardOpenOption.TRUNCATE_EXISTING); // same file, not a new one

        assertThat(store.snapshot().entries()).containsOnlyKeys(key("x"), key("y"), key("z"));
        assertThat(store.snapshot().revision()).isEqualTo(3);
    }

    @Test
    void anotherInstance_seesEachAppendedCommit_atOnce() {
        ConfigStore reader = store();
        ConfigStore writer = world.open(uri).store();
        for (int i = 0; i < 20; i++) {
            writer.set(key("k" + i), Value.of(i));
            assertThat(reader.get(key("k" + i))).as("after write " + i).map(Entry::value).contains(Value.of(i));
            assertThat(reader.history(HistoryQuery.all().limit(1))).extracting(HistoryRecord::key).containsExactly(key("k" + i));
        }
    }

    // ------------------------------------------------------------ failures

    @Test
    void ioFailure_atEachStepOfAWrite_leavesTheLogAsItWas_andReportsIt() throws Exception {
        store().set(key("keep.me"), Value.of("original"));
        List<String> failed = new ArrayList<>();
        for (int failAt = 1; failAt < 100; failAt++) {
            byte[] before = Files.readAllBytes(file);
            FaultyFileOps faulty = new FaultyFileOps(FileOps.real(), failAt);
            Waterfall waterfall = world.open(uri, builder -> builder.service(FileOps.class, faulty));
            Throwable thrown = null;
            try {
                waterfall.store().set(key("keep.me"), Value.of("changed " + failAt));
            } catch (RuntimeException e) {
                thrown = e;
            }
            if (faulty.failed() == null) {
                assertThat(thrown).isNull();
                // the figure docs/reliability.md quotes (surefire keeps it in the test's -output.txt)
                System.out.println("I/O failure walk " + uri + ": " + failed.size() + " steps failed in turn, the log kept after each: " + failed);
                break;
            }
            failed.add(faulty.failed());
            assertThat(thrown).as(faulty.failed()).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("config.ndjson");
            assertThat(Files.readAllBytes(file)).as("the log after a failure at " + faulty.failed()).isEqualTo(before);
            assertThat(store().get(key("keep.me"))).map(Entry::value).contains(Value.of("original"));
        }
        assertThat(failed).as("opening, writing and syncing were each failed once")
                .anyMatch(step -> step.startsWith("openForAppend")).anyMatch(step -> step.startsWith("writeFully"))
                .anyMatch(step -> step.startsWith("force"));
        assertThat(store().set(key("keep.me"), Value.of("at last")).revision()).as("the write that met no failure, then this one").isEqualTo(3);
    }

    // ------------------------------------------------------------ compaction

    @Test
    void compaction_keepsEveryValueAndTheNewestHistory_andThePreviousLogAsDotOne() throws Exception {
        String compacting = uri + "?compact-after=30";
        ConfigStore reader = world.open(compacting).store();
        reader.snapshot();
        for (int i = 0; i < 31; i++) {
            world.open(compacting).store().set(key("k" + (i % 7)), Value.of(i));
        }
        world.open(compacting).store().unset(key("k0"));

        List<String> lines = lines();
        assertThat(lines.get(0)).startsWith("{\"rev\":28,").contains("\"snapshot\":[");
        assertThat(lines).hasSize(1 + 3 + 1);
        assertThat(Files.readAllLines(dir.resolve("config.ndjson.1"))).hasSize(31);
        Snapshot snapshot = reader.snapshot();
        assertThat(snapshot.revision()).isEqualTo(32);
        assertThat(snapshot.entries()).hasSize(6);
        assertThat(snapshot.get(key("k6")).orElseThrow()).satisfies(entry -> {
            assertThat(entry.value()).isEqualTo(Value.of(27));
            assertThat(entry.revision()).isEqualTo(28);
            assertThat(entry.updatedBy()).isEqualTo(new Actor("test", "tester", "testhost", 4242));
        });
        assertThat(reader.history(HistoryQuery.all())).extracting(HistoryRecord::revision).containsExactly(32L, 31L, 30L, 29L);
        assertThat(store().snapshot().entries()).isEqualTo(snapshot.entries());
        assertThat(world.open(compacting).store().set(key("after"), Value.of(true)).revision()).isEqualTo(33);
    }

    @Test
    void compaction_ofAHandEditedLogWithBlankCrlfLines_keepsEveryValue() throws Exception {
        String compacting = uri + "?compact-after=30";
        world.open(compacting).store().set(key("k0"), Value.of(0));
        Files.writeString(file, "\r\n  \r\n", StandardOpenOption.APPEND); // blank lines as a Windows editor leaves them
        for (int i = 1; i < 31; i++) {
            world.open(compacting).store().set(key("k" + (i % 7)), Value.of(i));
        }

        assertThat(lines().get(0)).startsWith("{\"rev\":28,").contains("\"snapshot\":[");
        Snapshot snapshot = store().snapshot();
        assertThat(snapshot.revision()).isEqualTo(31);
        assertThat(snapshot.get(key("k2")).orElseThrow().value()).isEqualTo(Value.of(30));
        assertThat(snapshot.get(key("k0")).orElseThrow().value()).isEqualTo(Value.of(28));
        assertThat(store().history(HistoryQuery.all())).extracting(HistoryRecord::revision).containsExactly(31L, 30L, 29L);
    }

    // ------------------------------------------------------------ helpers

    private static boolean isOneJsonObject(String line) {
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

}
