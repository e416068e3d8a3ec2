package dev.waterfall.contract;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The promises of the database stores (SQLite, PostgreSQL), checked with real processes against a
 * real database: concurrent writers and compare-and-set from several processes lose nothing, several
 * processes may open a new database at once, a writer killed with {@code kill -9} in the middle of a
 * transaction leaves a consistent database, namespaces never see each other, injection payloads are
 * stored verbatim, and a database migrated by a newer version is refused. Every database store runs
 * this suite besides {@link ConfigStoreContract}.
 */
public abstract class DatabaseStoreContract {

    /** The test's own temporary folder. */
    @TempDir
    protected Path dir;

    /** The world the test's Waterfall instances are opened in; closed after each test. */
    protected ContractWorld world;
    /** The URI of the test's fresh store. */
    protected String uri;
    private final List<String> made = new ArrayList<>();

    /** The database backend under test. */
    protected abstract DatabaseStoreFixture fixture();

    @BeforeEach
    void setUp() {
        world = new ContractWorld(dir);
        uri = remember(fixture().newStoreUri(dir));
    }

    @AfterEach
    void tearDown() {
        world.close();
        fixture().cleanUp(made);
    }

    /** Notes a URI the test made, for {@link DatabaseStoreFixture#cleanUp}. */
    protected String remember(String madeUri) {
        made.add(madeUri);
        return madeUri;
    }

    private ConfigStore store(String storeUri) {
        return world.open(storeUri).store();
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    // ------------------------------------------------------------ many processes

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_writingDistinctKeys_loseNothing() throws Exception {
        store(uri).set(key("seed"), Value.of(0));
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "distinct", uri, "p" + p, "250"));
        }
        ProcessTrials.awaitSuccess(processes);

        Snapshot snapshot = store(uri).snapshot();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 250; i++) {
                assertThat(snapshot.get(key("p" + p + ".k" + i))).as("p" + p + ".k" + i).map(Entry::value).contains(Value.of(i));
            }
        }
        assertThat(snapshot.size()).isEqualTo(1 + 4 * 250);
        assertThat(snapshot.revision()).as("one revision per write, none skipped or shared").isEqualTo(1 + 4 * 250);
        assertThat(store(uri).history(HistoryQuery.all().limit(5000))).hasSize(1 + 4 * 250);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_incrementingOneCounterWithCompareAndSet_countExactly() throws Exception {
        ProcessTrials.incrementFromProcesses(uri, "counter", 4, 100);

        assertThat(store(uri).get(key("counter"))).map(Entry::value).contains(Value.of(400));
        assertThat(store(uri).history(HistoryQuery.of(key("counter")).limit(1000))).hasSize(400);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_openingANewDatabaseAtOnce_allMigrateAndWrite() throws Exception {
        String fresh = remember(fixture().newDatabaseUri(dir));
        Path go = dir.resolve("go");
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            processes.add(JavaProcess.start(BatchWriter.class, "together", fresh, go.toString(), "p" + p, "20"));
        }
        for (Process process : processes) {
            awaitLine(process, "ready");
        }
        Files.createFile(go); // all four touch the new database at the same moment
        ProcessTrials.awaitSuccess(processes);

        Snapshot snapshot = store(fresh).snapshot();
        assertThat(snapshot.size()).isEqualTo(80);
        assertThat(snapshot.revision()).isEqualTo(80);
        assertThat(fixture().integrityProblems(fresh)).isEmpty();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killDashNine_ofAWriterInTheMiddleOfItsTransactions_leavesAConsistentDatabase() throws Exception {
        int size = 1000;
        store(uri).set(key("seed"), Value.of(0));
        Random random = new Random(20261126);
        long lastAcknowledged = -1;
        for (int round = 0; round < 8; round++) {
            Process child = JavaProcess.start(BatchWriter.class, "batches", uri, "w", Integer.toString(size));
            AtomicLong acknowledged = new AtomicLong(lastAcknowledged);
            Thread pump = pump(child, acknowledged);
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acknowledged.get() == lastAcknowledged && System.nanoTime() < waitUntil && child.isAlive()) {
                Thread.sleep(1);
            }
            assertThat(child.isAlive()).as("the writer is running (round " + round + ")").isTrue();
            Thread.sleep(random.nextInt(300));
            // SIGKILL through the handle, most likely while a batch's transaction is open (Process.destroyForcibly()
            // would also close the pipe and drop acknowledgements still in it)
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);

            long batches = checkBatches(size, round);
            assertThat(batches - 1).as("round " + round + ": every acknowledged batch is there").isGreaterThanOrEqualTo(acknowledged.get());
            lastAcknowledged = batches - 1;
            assertThat(fixture().integrityProblems(uri)).as("round " + round).isEmpty();
        }
        // the figure docs/reliability.md quotes (surefire keeps it in the test's -output.txt)
        System.out.println("kill -9 mid-transaction " + uri + ": 8 rounds (seed 20261126), " + (lastAcknowledged + 1) + " batches of "
                + size + " keys acknowledged; half batches 0, acknowledged batches lost 0, integrity problems 0");
        store(uri).set(key("after"), Value.of("the next write"));
        assertThat(store(uri).get(key("after"))).isPresent();
    }

    /** Checks that the store holds whole batches 0 .. n-1 and nothing of a half batch; returns n. */
    private long checkBatches(int size, int round) {
        ConfigStore fresh = store(uri); // a new instance: opens the database from scratch
        Snapshot snapshot = fresh.snapshot();
        Map<Long, Integer> perBatch = new HashMap<>();
        for (Entry entry : snapshot.under(key("w")).values()) {
            long batch = Long.parseLong(entry.key().segments().get(1).substring(1));
            assertThat(entry.value()).isEqualTo(Value.of(batch));
            perBatch.merge(batch, 1, Integer::sum);
        }
        for (Map.Entry<Long, Integer> batch : perBatch.entrySet()) {
            assertThat(batch.getValue()).as("round " + round + ": batch " + batch.getKey() + " is whole").isEqualTo(size);
        }
        long batches = perBatch.size();
        for (long b = 0; b < batches; b++) {
            assertThat(perBatch).as("round " + round + ": batches without gaps").containsKey(b);
        }
        assertThat(snapshot.revision()).as("round " + round + ": one revision per batch").isEqualTo(1 + batches);
        List<HistoryRecord> newest = fresh.history(HistoryQuery.all().limit(size + 1));
        if (batches > 0) {
            assertThat(newest.subList(0, size)).as("round " + round + ": the last batch's history is whole")
                    .allSatisfy(record -> assertThat(record.revision()).isEqualTo(1 + batches));
        }
        return batches;
    }

    // ------------------------------------------------------------ namespaces and injection

    @Test
    void history_isPrunedToTheNewestRevisions_whenTheUriAsks_andKeptWhole_otherwise() {
        String plain = remember(fixture().withNamespace(uri, "pruned"));
        ConfigStore pruned = store(plain + "&history=10");
        ConfigStore whole = store(remember(fixture().withNamespace(uri, "whole")) + "&history=all");
        for (int i = 1; i <= 35; i++) {
            pruned.set(Key.of("k"), Value.of(i));
            whole.set(Key.of("k"), Value.of(i));
        }

        // every 10 revisions a write drops the records older than the newest 10: at r30, those up to r20
        assertThat(pruned.history(HistoryQuery.all().limit(100))).extracting(HistoryRecord::revision)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(21, 35).map(r -> 56 - r).boxed().toList());
        assertThat(store(plain).history(HistoryQuery.all().limit(100))).hasSize(15);
        assertThat(whole.history(HistoryQuery.all().limit(100))).hasSize(35);
        assertThat(pruned.get(Key.of("k"))).map(Entry::value).contains(Value.of(35));
        assertThatThrownBy(() -> store(plain + "&history=0")).hasMessageContaining("history must be a number of revisions from 1, or all");
    }

    @Test
    void namespaces_inOneDatabase_neverSeeEachOther() {
        String otherUri = remember(fixture().withNamespace(uri, "other-" + System.nanoTime()));
        ConfigStore mine = store(uri);
        ConfigStore other = store(otherUri);

        mine.set(key("plant.name"), Value.of("mine"));
        mine.set(key("only.mine"), Value.of(1));
        other.set(key("plant.name"), Value.of("theirs"));
        other.set(key("only"), Value.of("a leaf: the keys under it are another namespace's"));

        assertThat(store(uri).snapshot().entries().keySet()).containsExactly(key("only.mine"), key("plant.name"));
        assertThat(store(uri).get(key("plant.name"))).map(Entry::value).contains(Value.of("mine"));
        assertThat(store(otherUri).get(key("only.mine"))).isEmpty();
        assertThat(store(uri).snapshot().revision()).isEqualTo(2);
        assertThat(store(otherUri).snapshot().revision()).isEqualTo(2);
        assertThat(store(otherUri).history(HistoryQuery.all())).extracting(HistoryRecord::key)
                .containsExactly(key("only"), key("plant.name"));
        other.unset(key("plant.name"));
        assertThat(store(uri).get(key("plant.name"))).isPresent();
    }

    @Test
    void injectionPayloads_inNamespacesAndValues_areStoredVerbatimAndTheSchemaIsUnchanged() {
        store(uri).set(key("before"), Value.of(1));
        List<String> schemaBefore = fixture().schema(uri);
        List<String> payloads = List.of(
                "'; DROP TABLE entries; --",
                "x' OR '1'='1",
                "\"; DELETE FROM namespaces; --",
                "a%_b\\",
                "Robert'); DROP TABLE history;--",
                "$$; DROP SCHEMA waterfall CASCADE; $$",
                "名前 with spaces ünd emoji \uD83C\uDF31");
        Map<String, ConfigStore> stores = new HashMap<>();
        for (String payload : payloads) {
            ConfigStore store = store(remember(fixture().withNamespace(uri, payload)));
            stores.put(payload, store);
            store.set(key("payload"), Value.of(payload));
            store.set(key("sql.select"), Value.of("SELECT * FROM entries WHERE key = '" + payload + "'"));
        }
        for (String payload : payloads) {
            ConfigStore reopened = store(fixture().withNamespace(uri, payload));
            assertThat(reopened.snapshot().size()).as(payload).isEqualTo(2);
            assertThat(reopened.get(key("payload"))).as(payload).map(Entry::value).contains(Value.of(payload));
            assertThat(reopened.get(key("sql.select"))).map(Entry::value)
                    .contains(Value.of("SELECT * FROM entries WHERE key = '" + payload + "'"));
        }
        assertThat(store(uri).snapshot().entries().keySet()).containsExactly(key("before"));
        assertThat(fixture().namespaces(uri)).as("namespaces are stored verbatim").containsAll(payloads);
        assertThat(fixture().schema(uri)).isEqualTo(schemaBefore);
        assertThat(fixture().integrityProblems(uri)).isEmpty();
    }

    // ------------------------------------------------------------ big batches, versions

    @Test
    void apply_aBatchOfThousandsOfKeys_isOneRevision_andAConflictAtItsEndAppliesNothing() {
        ConfigStore store = store(uri);
        store.set(key("taken"), Value.of("a leaf"));
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            batch.add(Change.set(key("bulk.k" + i), Value.of(i)));
        }
        List<Change> conflicting = new ArrayList<>(batch);
        conflicting.add(Change.set(key("taken.below"), Value.of(1)));

        assertThatThrownBy(() -> store.apply(conflicting)).isInstanceOf(KeyConflictException.class).hasMessageContaining("taken");
        assertThat(store(uri).snapshot().size()).isEqualTo(1);

        assertThat(store.apply(batch).revision()).isEqualTo(2);
        Snapshot snapshot = store(uri).snapshot();
        assertThat(snapshot.size()).isEqualTo(2501);
        assertThat(snapshot.get(key("bulk.k2499"))).map(Entry::revision).contains(2L);
        assertThat(store.apply(batch).changed()).as("the same batch again changes nothing").isFalse();
    }

    @Test
    void open_aDatabaseMigratedByANewerVersion_isRefusedNamingTheDatabaseAndVersions() {
        String uri = remember(fixture().newDatabaseUri(dir)); // a database of its own: others must not see version 999
        store(uri).set(key("kept"), Value.of("as it was"));
        List<String> schemaBefore = fixture().schema(uri);
        fixture().markMigratedBy(uri, "999");

        ConfigStore newer = store(uri);
        assertThatThrownBy(newer::snapshot)
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(newer.location())
                .hasMessageContaining("999")
                .hasMessageContaining("newer Waterfall")
                .hasMessageContaining("up to " + fixture().schemaVersion());
        assertThatThrownBy(() -> store(uri).set(key("kept"), Value.of("changed")))
                .isInstanceOf(StoreBrokenException.class);
        assertThat(fixture().schema(uri)).as("nothing was downgraded or dropped").isEqualTo(schemaBefore);
    }

    // ------------------------------------------------------------ helpers

    private static Thread pump(Process child, AtomicLong acknowledged) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acknowledged.set(Long.parseLong(line.substring(4)));
                    }
                }
            } catch (IOException e) {
                // the process died
            }
        });
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private static void awaitLine(Process process, String expected) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.equals(expected)) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child ended before printing \"" + expected + "\":\n" + seen);
    }
}
