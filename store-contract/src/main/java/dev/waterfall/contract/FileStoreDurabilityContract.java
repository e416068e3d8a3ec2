package dev.waterfall.contract;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Backup;
import dev.waterfall.config.Backups;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.file.FileOps;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The promises of the durable-file protocol (docs/architecture.md, "The durable-file protocol"), checked with real processes on
 * a real file system: concurrent writers lose nothing, kill -9 never corrupts, an I/O failure at any
 * step leaves the original intact, new files are private under any umask, broken files are clear
 * errors that no write replaces, and backups bring them back. Every file store runs this suite.
 */
public abstract class FileStoreDurabilityContract {

    /** The test's own temporary folder, where the store's file lives. */
    @TempDir
    protected Path dir;

    /** The world the test's Waterfall instances are opened in; closed after each test. */
    protected ContractWorld world;
    /** The store's file. */
    protected Path file;
    /** The URI of the test's fresh store. */
    protected String uri;

    /** The file backend under test. */
    protected abstract FileStoreFixture fixture();

    @BeforeEach
    void setUp() {
        world = new ContractWorld(dir);
        file = fixture().storeFile(dir);
        uri = fixture().newStoreUri(dir);
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

    // ------------------------------------------------------------ many processes

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void manyProcesses_writingDistinctKeys_loseNothing() throws Exception {
        store().set(key("seed"), Value.of(0)); // the file exists before the race starts
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "distinct", uri, "p" + p, "250"));
        }
        Optional<List<String>> foreign = fixture().foreignWriter(file, "py", 250);
        if (foreign.isPresent()) {
            processes.add(new ProcessBuilder(foreign.get()).redirectErrorStream(true).start());
        }
        ProcessTrials.awaitSuccess(processes);

        Snapshot snapshot = store().snapshot();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 250; i++) {
                assertThat(snapshot.get(key("p" + p + ".k" + i))).as("p" + p + ".k" + i).map(Entry::value).contains(Value.of(i));
            }
        }
        if (foreign.isPresent()) {
            for (int i = 0; i < 250; i++) {
                assertThat(snapshot.get(key("py.k" + i))).as("py.k" + i + " written by the foreign process").map(Entry::value).contains(Value.of(i));
            }
        }
        assertThat(snapshot.size()).isEqualTo(1 + 4 * 250 + (foreign.isPresent() ? 250 : 0));
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
        ProcessTrials.killDashNine(dir, uri, () -> store().snapshot(), 50);

        store().set(key("after"), Value.of("the next write"));
        assertThat(tempFiles()).as("temp files are gone after the next write").isEmpty();
    }

    // ------------------------------------------------------------ I/O failures

    @Test
    void ioFailure_atEachStepOfAWrite_keepsTheOriginalAndReportsIt() throws Exception {
        List<String> failed = failEachStepOfAWrite(uri);
        assertThat(failed).as("every step of a write was failed once").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void ioFailure_atEachStepOfAWriteThatReusesAnExpiredBackup_keepsTheOriginalAndReportsIt() throws Exception {
        String keepTwo = uri + "?backups=2";
        for (int i = 0; i < 4; i++) {
            world.open(keepTwo).store().set(key("warm.up"), Value.of(i)); // two backups kept, so every write has one expiring
        }

        List<String> failed = failEachStepOfAWrite(keepTwo);

        assertThat(failed).as("the expired backup was moved, reopened and cut to length, each failed once")
                .anyMatch(step -> step.startsWith("moveAtomically") && step.contains(".tmp"))
                .anyMatch(step -> step.startsWith("openForOverwrite"));
        assertThat(world.open(keepTwo).store().backups().orElseThrow().list()).hasSize(2).allMatch(Backup::isValid);
    }

    /** Fails each changing step of one write in turn, checking what is left after each; returns the steps failed. */
    private List<String> failEachStepOfAWrite(String storeUri) throws Exception {
        ConfigStore setup = world.open(storeUri).store();
        setup.set(key("keep.me"), Value.of("original"));
        setup.set(key("keep.other"), Value.of(1));
        List<String> failed = new ArrayList<>();
        for (int failAt = 1; failAt < 100; failAt++) {
            byte[] before = Files.readAllBytes(file);
            FaultyFileOps faulty = new FaultyFileOps(FileOps.real(), failAt);
            Waterfall waterfall = world.open(storeUri, builder -> builder.service(FileOps.class, faulty));
            Throwable thrown = null;
            try {
                waterfall.store().set(key("keep.me"), Value.of("changed " + failAt + "x".repeat(failAt % 2 == 0 ? 3000 : 0)));
            } catch (RuntimeException e) {
                thrown = e;
            }
            if (faulty.failed() == null) {
                assertThat(thrown).isNull();
                // the figure docs/reliability.md quotes (surefire keeps it in the test's -output.txt)
                System.out.println("I/O failure walk " + storeUri + ": " + failed.size() + " steps failed in turn, the original kept after each: " + failed);
                return failed;
            }
            String step = faulty.failed();
            failed.add(step);
            ConfigStore store = world.open(storeUri).store();
            Value now = store.get(key("keep.me")).orElseThrow().value();
            if (thrown != null) {
                assertThat(thrown).as("step " + step).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining(file.getFileName().toString());
                if (!step.startsWith("forceDirectory")) {
                    assertThat(Files.readAllBytes(file)).as("the original bytes after a failure at " + step).isEqualTo(before);
                }
            } else {
                // Only steps after the commit point (metadata, history, pruning) may fail silently: the value is durable.
                assertThat(now).as("a failure at " + step + " after the commit point")
                        .isEqualTo(Value.of("changed " + failAt + "x".repeat(failAt % 2 == 0 ? 3000 : 0)));
            }
            assertThat(tempFiles()).as("no temp file after a failure at " + step).isEmpty();
            assertThat(store.get(key("keep.other"))).map(Entry::value).contains(Value.of(1));
            store.set(key("keep.me"), Value.of("original")); // a healthy write still works
        }
        return fail("a write of more than 100 steps");
    }

    @Test
    void fullDisk_writeFails_originalIntactAndNoTempFile() throws Exception {
        store().set(key("small"), Value.of("fits"));
        byte[] before = Files.readAllBytes(file);
        String big = "\"" + "x".repeat(64 * 1024) + "\"";

        Process child = JavaProcess.startInShell("ulimit -f 32;", ChildWriter.class, "set", uri, "big", big);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as("the write is refused; output:\n" + output).isEqualTo(3);
        assertThat(output).contains("error:").contains(file.getFileName().toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(tempFiles()).isEmpty();
        assertThat(store().get(key("small"))).map(Entry::value).contains(Value.of("fits"));
    }

    // ------------------------------------------------------------ modes

    @Test
    void newFileAndFolders_areOwnerOnly_underUmask000() throws Exception {
        assertOwnerOnlyUnder("000");
    }

    @Test
    void newFileAndFolders_areOwnerOnly_underUmask077() throws Exception {
        assertOwnerOnlyUnder("077");
    }

    private void assertOwnerOnlyUnder(String umask) throws Exception {
        Path nested = dir.resolve("umask" + umask).resolve("deeper");
        Path nestedFile = fixture().storeFile(nested);
        String nestedUri = fixture().newStoreUri(nested);
        for (int write = 0; write < 2; write++) {
            Process child = JavaProcess.startInShell("umask " + umask + ";", ChildWriter.class, "set", nestedUri, "k" + write, "1");
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
        }
        assertThat(mode(nestedFile)).isEqualTo("rw-------");
        assertThat(mode(nested)).isEqualTo("rwx------");
        assertThat(mode(nested.getParent())).isEqualTo("rwx------");
        assertThat(mode(nested.resolve("backups"))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(nested)) {
            for (Path path : files.filter(Files::isRegularFile).toList()) {
                assertThat(mode(path)).as(path.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void replacedFile_keepsItsMode() throws Exception {
        store().set(key("a"), Value.of(1));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        store().set(key("a"), Value.of(2));

        assertThat(mode(file)).isEqualTo("rw-r-----");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    // ------------------------------------------------------------ broken files

    @Test
    void brokenFile_readIsAClearErrorWithLineAndColumn() throws Exception {
        for (FileStoreFixture.BrokenSample sample : fixture().brokenSamples()) {
            Files.createDirectories(file.getParent());
            Files.write(file, sample.content());
            Waterfall waterfall = world.open(uri);

            assertThatThrownBy(() -> waterfall.store().get(key("any")))
                    .as(sample.name())
                    .isInstanceOf(StoreBrokenException.class)
                    .hasMessageStartingWith(file + ":" + sample.line() + (sample.column() > 0 ? ":" + sample.column() + ":" : ":"))
                    .hasMessageContaining("waterfall backups restore")
                    .satisfies(e -> assertThat(((StoreBrokenException) e).line()).contains(sample.line()));
        }
    }

    @Test
    void brokenFile_aWriteIsRefusedAndTheBytesStayUnchanged() throws Exception {
        for (FileStoreFixture.BrokenSample sample : fixture().brokenSamples()) {
            Files.createDirectories(file.getParent());
            Files.write(file, sample.content());
            Waterfall waterfall = world.open(uri);

            assertThatThrownBy(() -> waterfall.set("new.key", Value.of(1))).as(sample.name()).isInstanceOf(StoreBrokenException.class);
            assertThatThrownBy(() -> waterfall.unset("any")).as(sample.name()).isInstanceOf(StoreBrokenException.class);

            assertThat(Files.readAllBytes(file)).as(sample.name()).isEqualTo(sample.content());
        }
    }

    @Test
    void brokenFile_restoreBringsBackTheLastWrite_takingBackNoRecordedChange_andKeepsTheBrokenOneAside() throws Exception {
        ConfigStore store = store();
        store.set(key("v"), Value.of(1));
        store.set(key("v"), Value.of(2));
        store.set(key("v"), Value.of(3)); // backups hold v=1, v=2 and v=3: each write's own version
        FileStoreFixture.BrokenSample sample = fixture().brokenSamples().get(0);
        Files.write(file, sample.content()); // a hand edit in place, as an editor or `echo >` does

        Backups backups = store().backups().orElseThrow();
        assertThat(backups.list()).hasSizeGreaterThanOrEqualTo(2).allMatch(Backup::isValid);
        Backups.Restored restored = backups.restore(Optional.empty());

        // issue 15, item 3: before, the newest backup was v=2 and the write of v=3 was silently gone
        assertThat(store().get(key("v"))).map(Entry::value).contains(Value.of(3));
        assertThat(restored.takenBack()).isEmpty();
        assertThat(restored.movedAsideTo()).isPresent();
        assertThat(Files.readAllBytes(Path.of(restored.movedAsideTo().get()))).isEqualTo(sample.content());
        store().set(key("v"), Value.of(4));
        assertThat(store().get(key("v"))).map(Entry::value).contains(Value.of(4));
    }

    // ------------------------------------------------------------ backups, sidecars, outside edits

    @Test
    void eachWrite_keepsTheVersionItWrote_withRetention_andARestoreSaysWhatItTakesBack() throws Exception {
        String keepThree = uri + "?backups=3";
        ConfigStore store = world.open(keepThree).store();
        for (int i = 0; i < 6; i++) {
            store.set(key("n"), Value.of(i));
        }

        List<Backup> backups = store.backups().orElseThrow().list();

        assertThat(backups).hasSize(3);
        assertThat(backups.get(0).name()).matches(".*\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\..*|.*\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?")
                .doesNotContain(":");
        Backups.Restored restored = store.backups().orElseThrow().restore(Optional.of(backups.get(2).name())); // the oldest kept: n = 3
        assertThat(store.get(key("n"))).map(Entry::value).contains(Value.of(3));
        assertThat(restored.takenBack()).as("the writes of n = 4 and n = 5").extracting(HistoryRecord::newValue)
                .containsExactly(Optional.of(Value.of(4)), Optional.of(Value.of(5)));
        assertThat(restored.from().name()).isEqualTo(backups.get(2).name());
        assertThat(restored.from().problem()).as("the restored version is valid, though retention pruned it meanwhile").isEmpty();
    }

    @Test
    void expiredBackups_areReusedForNewVersions_andEveryKeptVersionStaysIntact() throws Exception {
        String keepThree = uri + "?backups=3";
        ConfigStore store = world.open(keepThree).store();
        for (int n = 0; n < 12; n++) {
            // Versions of three lengths in turn: a reused file is always of another length, and must be cut to the new one.
            store.apply(List.of(Change.set(key("n"), Value.of(n)), Change.set(key("pad"), Value.of(pad(n)))));
            assertThat(world.open(keepThree).store().get(key("n"))).as("after write " + n).map(Entry::value).contains(Value.of(n));
        }

        List<Backup> backups = store.backups().orElseThrow().list();

        assertThat(backups).hasSize(3).allMatch(Backup::isValid);
        List<Value> kept = new ArrayList<>();
        for (Backup backup : backups) {
            Path copy = dir.resolve("check-" + kept.size());
            Files.createDirectories(copy);
            Files.copy(Path.of(backup.location()), fixture().storeFile(copy));
            kept.add(world.open(fixture().newStoreUri(copy)).store().get(key("pad")).orElseThrow().value());
        }
        // Newest first: the versions of n = 11 (the current one), 10 and 9.
        assertThat(kept).containsExactly(Value.of(pad(11)), Value.of(pad(10)), Value.of(pad(9)));
        assertThat(tempFiles()).isEmpty();
    }

    private static String pad(int n) {
        return "x".repeat(List.of(5000, 1, 300).get(n % 3));
    }

    @Test
    void anExpiredBackupThatSomeoneLinkedElsewhere_isLetGo_neverOverwritten() throws Exception {
        ConfigStore store = world.open(uri + "?backups=2").store();
        Path oldest = oldestOfTwoBackupsAfterThreeWrites(store);
        Path mine = dir.resolve("my-copy");
        Files.createLink(mine, oldest); // a person keeps that version by linking it
        byte[] kept = Files.readAllBytes(mine);

        for (int v = 4; v < 8; v++) {
            store.set(key("v"), Value.of(v));
        }

        assertThat(Files.readAllBytes(mine)).as("the linked version is untouched").isEqualTo(kept);
        assertThat(store.backups().orElseThrow().list()).hasSize(2).allMatch(Backup::isValid);
        assertThat(store.get(key("v"))).map(Entry::value).contains(Value.of(7));
    }

    /** Sets v = 1, 2, 3 in a store keeping two backups; returns the older backup's file (v = 2). */
    private static Path oldestOfTwoBackupsAfterThreeWrites(ConfigStore store) {
        for (int v = 1; v <= 3; v++) {
            store.set(key("v"), Value.of(v)); // the backups hold v = 2 and v = 3
        }
        List<Backup> backups = store.backups().orElseThrow().list();
        return Path.of(backups.get(backups.size() - 1).location());
    }

    @Test
    void aNewVersionWrittenIntoAnExpiredBackup_getsTheFilesCurrentMode() throws Exception {
        String keepTwo = uri + "?backups=2";
        ConfigStore store = world.open(keepTwo).store();
        for (int i = 0; i < 4; i++) {
            store.set(key("a"), Value.of(i));
        }
        for (String mode : List.of("rw-r-----", "rw-------")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            for (int i = 0; i < 3; i++) {
                store.set(key("a"), Value.of(mode + i)); // written into versions of the other mode, then of this one

                assertThat(mode(file)).as("write " + i + " after a chmod to " + mode).isEqualTo(mode);
            }
        }
    }

    @Test
    void aBackupPrunedWhileBackupsAreListed_isLeftOut_notReportedBroken() throws Exception {
        String keepTwo = uri + "?backups=2";
        ConfigStore writer = world.open(keepTwo).store();
        Path oldest = oldestOfTwoBackupsAfterThreeWrites(writer);
        // Another process's write takes the oldest backup between the listing and the reading of it.
        FaultyFileOps racing = new FaultyFileOps(FileOps.real(), Integer.MAX_VALUE).beforeRead(path -> {
            if (path.equals(oldest)) {
                writer.set(key("v"), Value.of(4));
            }
        });

        List<Backup> listed = world.open(keepTwo, builder -> builder.service(FileOps.class, racing)).store().backups().orElseThrow().list();

        assertThat(Files.exists(oldest)).as("the write took it").isFalse();
        assertThat(listed).as("the backup gone meanwhile is not listed as broken").hasSize(1).allMatch(Backup::isValid);
    }

    /** Issue 15, item 11: a backups folder replaced by a link was followed; backups went into, and were pruned from, the target. */
    @Test
    void aBackupsFolderThatIsASymbolicLink_isRefused_nothingIsWrittenThroughIt_andDoctorSaysSo() throws Exception {
        ConfigStore store = world.open(uri + "?backups=1").store();
        store.set(key("v"), Value.of(1));
        store.set(key("v"), Value.of(2));
        Path backups = file.resolveSibling("backups");
        Path elsewhere = dir.resolve("elsewhere");
        Files.move(backups, elsewhere); // the target holds backup-named files that a prune would delete or reuse
        Files.createSymbolicLink(backups, elsewhere);
        List<String> before;
        try (Stream<Path> entries = Files.list(elsewhere)) {
            before = entries.map(Path::toString).sorted().toList();
        }
        byte[] data = Files.readAllBytes(file);

        assertThatThrownBy(() -> world.open(uri + "?backups=1").store().set(key("v"), Value.of(3)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(backups.toString())
                .hasMessageContaining("symbolic link")
                .hasMessageContaining("nothing was changed");

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        try (Stream<Path> entries = Files.list(elsewhere)) {
            assertThat(entries.map(Path::toString).sorted().toList()).isEqualTo(before);
        }
        assertThat(store().diagnose()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(dev.waterfall.config.Diagnostic.Severity.ERROR);
            assertThat(finding.subject()).isEqualTo(backups.toString());
            assertThat(finding.message()).contains("symbolic link");
        });
    }

    /** The same for every file Waterfall makes beside the store: history, rotated history, metadata. */
    @Test
    void historyOrMetadataThatIsASymbolicLink_isRefused_andNothingIsWrittenThroughIt() throws Exception {
        for (String suffix : List.of(".history.ndjson", ".history.1.ndjson", ".meta.json")) {
            store().set(key("v"), Value.of(suffix));
            Path own = file.resolveSibling(file.getFileName() + suffix);
            Path target = dir.resolve("target" + suffix);
            Files.writeString(target, "not yours\n");
            Files.deleteIfExists(own);
            Files.createSymbolicLink(own, target);

            assertThatThrownBy(() -> store().set(key("v"), Value.of("changed")))
                    .as(suffix).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("symbolic link");

            assertThat(Files.readString(target)).as(suffix).isEqualTo("not yours\n");
            assertThat(store().diagnose()).as(suffix).anyMatch(finding -> finding.subject().equals(own.toString()));
            Files.delete(own);
        }
    }

    @Test
    void backupNames_useTheInjectedClock() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2030-01-02T03:04:05.678Z"), ZoneOffset.UTC);
        ConfigStore store = world.open(uri, builder -> builder.clock(clock)).store();
        store.set(key("a"), Value.of(1));
        store.set(key("a"), Value.of(2));
        store.set(key("a"), Value.of(3));

        List<Backup> backups = store.backups().orElseThrow().list();

        assertThat(backups).extracting(Backup::name).allMatch(name -> name.contains("20300102T030405.678Z"));
        assertThat(backups).extracting(Backup::name).doesNotHaveDuplicates();
    }

    @Test
    void anOrphanTempFile_isRemovedByTheNextWrite() throws Exception {
        store().set(key("a"), Value.of(1));
        Path orphan = file.resolveSibling("." + file.getFileName() + ".0123456789abcdef.tmp");
        Files.writeString(orphan, "half a write");

        store().set(key("a"), Value.of(2));

        assertThat(orphan).doesNotExist();
    }

    @Test
    void aChangeMadeOutsideWaterfall_isSeenAndRecordedAsExternal() throws Exception {
        ConfigStore store = store();
        Entry before = store.set(key("edited"), Value.of("before-edit-marker"));
        store.set(key("untouched"), Value.of(1));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replace("before-edit-marker", "after-edit-marker"), StandardCharsets.UTF_8);

        Entry seen = store().get(key("edited")).orElseThrow();
        assertThat(seen.value()).isEqualTo(Value.of("after-edit-marker"));
        assertThat(seen.updatedBy()).isEqualTo(Actor.EXTERNAL);
        assertThat(seen.revision()).isGreaterThan(before.revision());
        assertThat(store().get(key("untouched")).orElseThrow().updatedBy().surface()).isEqualTo("test");

        store().set(key("another"), Value.of(2)); // the next write records the outside change
        List<HistoryRecord> history = store().history(HistoryQuery.of(key("edited")));
        assertThat(history.get(0).by()).isEqualTo(Actor.EXTERNAL);
        assertThat(history.get(0).oldValue()).contains(Value.of("before-edit-marker"));
        assertThat(history.get(0).newValue()).contains(Value.of("after-edit-marker"));
        assertThat(store().get(key("edited")).orElseThrow().revision()).isEqualTo(seen.revision());
    }

    /**
     * Issue 15, item 1, as the tester found it: a revision a reader was shown for one external
     * content must never let a compare-and-set overwrite another external content.
     */
    @Test
    void aRevisionSeenForOneExternalChange_neverMatchesAnother() throws Exception {
        ConfigStore store = store();
        store.set(key("counter"), Value.of(7000));
        externalSet(7001);

        Entry seen = store().get(key("counter")).orElseThrow();
        assertThat(seen.value()).isEqualTo(Value.of(7001));
        externalSet(7005); // another external content, unseen by the caller

        assertThatThrownBy(() -> store().compareAndSet(key("counter"), seen.revision(), Value.of(7002)))
                .isInstanceOf(RevisionConflictException.class);
        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of(7005));
        assertThat(store().history(HistoryQuery.of(key("counter"))))
                .noneMatch(change -> change.newValue().equals(Optional.of(Value.of(7002))));

        Entry now = store().get(key("counter")).orElseThrow(); // re-read and retry, as a CAS caller does
        assertThat(now.revision()).isNotEqualTo(seen.revision());
        store().compareAndSet(key("counter"), now.revision(), Value.of(7006));
        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of(7006));
        assertThat(store().history(HistoryQuery.of(key("counter")))).extracting(HistoryRecord::revision).doesNotHaveDuplicates();
    }

    /** A reader that cannot take the lock cannot record an outside change: it shows a revision no compare-and-set accepts. */
    @Test
    void anOutsideChange_thatAReaderCannotRecord_hasARevisionNoCompareAndSetAccepts() throws Exception {
        store().set(key("counter"), Value.of(7000));
        externalSet(7001);
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        Files.deleteIfExists(lock);
        Files.createSymbolicLink(lock, dir.resolve("elsewhere")); // refused by every lock taker (root ignores modes)

        Entry seen = store().get(key("counter")).orElseThrow();
        assertThat(seen.value()).isEqualTo(Value.of(7001));
        assertThat(seen.revision()).isEqualTo(Entry.UNRECORDED);
        Files.delete(lock);
        externalSet(7005);

        assertThatThrownBy(() -> store().compareAndSet(key("counter"), seen.revision(), Value.of(7002)))
                .isInstanceOf(RevisionConflictException.class);
        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of(7005));
    }

    private void externalSet(long value) throws IOException {
        // as an outside writer does: a new file renamed over the old (an in-place rewrite of the same
        // size within the file system's timestamp granularity would look unchanged to any stat)
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path temp = file.resolveSibling("." + file.getFileName() + ".outside.tmp");
        Files.writeString(temp, text.replaceFirst("(?m)^(\\s*\"?counter\"?\\s*[:=]\\s*)\\d+", "$1" + value), StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Compare-and-set writers in Java and a writer that is not Waterfall (docs/protocol.md's Python
     * function where the format has it) all increment one counter, the outsider under the lock
     * protocol: every increment must count, which it can only if no revision ever names two
     * contents.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void compareAndSetWriters_andAnOutsideIncrementer_countExactly() throws Exception {
        store().set(key("counter"), Value.of(0));
        int javaWriters = 3;
        int times = 40;
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < javaWriters; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "counter", uri, "counter", Integer.toString(times)));
        }
        Optional<List<String>> foreign = fixture().foreignIncrementer(file, "counter", times);
        processes.add(foreign.isPresent() ? new ProcessBuilder(foreign.get()).redirectErrorStream(true).start()
                : JavaProcess.start(ChildWriter.class, "external-counter", file.toString(), "counter", Integer.toString(times)));
        ProcessTrials.awaitSuccess(processes);

        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of((long) (javaWriters + 1) * times));
    }

    /** At the bound, an outside change cannot be given a revision either: it shows as unrecorded, and writes are refused. */
    @Test
    void atTheRevisionBound_anOutsideChangeStaysUnrecorded_andAWriteIsRefused() throws Exception {
        Entry last = new Entry(key("counter"), Value.of(7000), Entry.MAX_REVISION, Instant.EPOCH, Actor.EXTERNAL, 0);
        assertThat(store().loadCopy(Entry.MAX_REVISION, List.of(last).iterator(), List.<HistoryRecord>of().iterator())).isTrue();
        externalSet(7001);

        assertThat(store().get(key("counter")).orElseThrow().revision()).isEqualTo(Entry.UNRECORDED);
        assertThatThrownBy(() -> store().set(key("counter"), Value.of(7002)))
                .hasMessageContaining("highest Waterfall assigns").hasMessageContaining("nothing was written");

        assertThat(store().get(key("counter"))).map(Entry::value).contains(Value.of(7001));
        assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".history.ndjson"))).doesNotContain("9007199254740992");
    }

    /** Hand-edited metadata or history cannot push revisions past the bound (issue 15, item 2): they are not Waterfall's. */
    @Test
    void handEditedMetadataAndHistory_withRevisionsAboveTheBound_areNotBelieved() throws Exception {
        ConfigStore store = store();
        store.set(key("a"), Value.of(1));
        Path history = file.resolveSibling(file.getFileName() + ".history.ndjson");
        Path meta = file.resolveSibling(file.getFileName() + ".meta.json");
        Files.writeString(history, "{\"rev\":9223372036854775806,\"at\":\"2026-11-26T07:00:00Z\",\"by\":{},\"key\":\"a\",\"new\":1}\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(meta, "{\"format\":1,\"revision\":9223372036854775807,\"dataSha256\":\"\",\"historyFile\":\"\",\"historyOffset\":0,"
                + "\"actors\":[],\"entries\":{}}\n", StandardCharsets.UTF_8);

        Entry b = store().set(key("b"), Value.of(2));

        assertThat(b.revision()).isBetween(1L, Entry.MAX_REVISION); // before: 2^63-1 + 1, negative
        assertThat(store().get(key("b")).orElseThrow().revision()).isEqualTo(b.revision());
        assertThat(store().get(key("a"))).map(Entry::value).contains(Value.of(1));
    }

    @Test
    void aLostMetadataSnapshot_losesNoValueAndNoRevision() throws Exception {
        ConfigStore store = store();
        List<dev.waterfall.config.Change> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(dev.waterfall.config.Change.set(key("bulk.k" + i), Value.of(i))); // enough records to compact the metadata
        }
        store.apply(many);
        Entry b = store.set(key("b"), Value.of(2));
        List<Path> snapshots = sidecars(".meta.json");
        assertThat(snapshots).as("a metadata snapshot was written").isNotEmpty();
        for (Path snapshot : snapshots) {
            Files.delete(snapshot);
        }

        Snapshot snapshot = store().snapshot();

        assertThat(snapshot.get(key("bulk.k7"))).map(Entry::value).contains(Value.of(7));
        assertThat(snapshot.get(key("b")).orElseThrow().revision()).isEqualTo(b.revision());
        assertThat(snapshot.get(key("b")).orElseThrow().updatedBy().surface()).isEqualTo("test");
        assertThat(store().set(key("c"), Value.of(3)).revision()).isGreaterThan(b.revision());
    }

    @Test
    void allMetadataLost_losesNoValue_andTheStoreGoesOn() throws Exception {
        ConfigStore store = store();
        store.set(key("a"), Value.of(1));
        store.set(key("b"), Value.of(2));
        for (Path sidecar : sidecars(".meta.json")) {
            Files.delete(sidecar);
        }
        for (Path sidecar : sidecars(".history.ndjson")) {
            Files.delete(sidecar);
        }

        Snapshot snapshot = store().snapshot();

        assertThat(snapshot.get(key("a"))).map(Entry::value).contains(Value.of(1));
        assertThat(snapshot.get(key("b")).orElseThrow().updatedBy()).isEqualTo(Actor.EXTERNAL);
        Entry c = store().set(key("c"), Value.of(3));
        assertThat(c.revision()).isGreaterThan(snapshot.revision());
        assertThat(store().get(key("a")).orElseThrow().revision()).isLessThan(c.revision());
    }

    private List<Path> sidecars(String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void aTornHistoryLine_fromAWriterKilledMidAppend_isDroppedByTheNextWrite() throws Exception {
        ConfigStore store = store();
        store.set(key("a"), Value.of(1));
        Path history = sidecars(".history.ndjson").get(0);
        Files.writeString(history, "{\"rev\":99,\"at\":\"2026-", java.nio.file.StandardOpenOption.APPEND);

        store().set(key("a"), Value.of(2));

        assertThat(Files.readString(history)).endsWith("\n").doesNotContain("\"rev\":99");
        List<HistoryRecord> records = store().history(HistoryQuery.of(key("a")));
        assertThat(records).extracting(HistoryRecord::newValue).containsExactly(Optional.of(Value.of(2)), Optional.of(Value.of(1)));
        assertThat(store().get(key("a")).orElseThrow().updatedBy().surface()).isEqualTo("test");
    }

    @Test
    void aSymbolicallyLinkedFile_staysALink() throws Exception {
        Path real = dir.resolve("dotfiles").resolve(file.getFileName());
        Files.createDirectories(real.getParent());
        world.open(fixture().newStoreUri(real.getParent())).store().set(key("a"), Value.of(1));
        Files.createDirectories(file.getParent());
        Files.createSymbolicLink(file, real);

        store().set(key("b"), Value.of(2));

        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(world.open(fixture().newStoreUri(real.getParent())).store().get(key("b"))).map(Entry::value).contains(Value.of(2));
    }

    @Test
    void theLockFile_isASeparateOwnerOnlyFileThatStays() throws Exception {
        store().set(key("a"), Value.of(1));
        Path lock = file.resolveSibling(file.getFileName() + ".lock");

        store().set(key("a"), Value.of(2));

        assertThat(lock).isRegularFile();
        assertThat(mode(lock)).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("revision").doesNotContain("testhost");
    }

    @Test
    void theLockIsHeldByAnotherLanguage_aWriterWaitsForIt() throws Exception {
        ConfigStore store = store();
        store.set(key("a"), Value.of(1));
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        Path released = dir.resolve("released");
        // Hold the lock the way docs/protocol.md tells other languages to: a POSIX record lock (lockf).
        Process holder = new ProcessBuilder("python3", "-c",
                "import fcntl, sys, time, pathlib\n"
                        + "f = open(sys.argv[1], 'a')\n"
                        + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                        + "print('locked', flush=True)\n"
                        + "time.sleep(1)\n"
                        + "pathlib.Path(sys.argv[2]).write_text('x')\n"
                        + "fcntl.lockf(f, fcntl.LOCK_UN)\n", lock.toString(), released.toString())
                .redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo("locked");

        store.set(key("a"), Value.of(2));

        assertThat(released).as("the write completed only after the other process let go of the lock").exists();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store().get(key("a"))).map(Entry::value).contains(Value.of(2));
    }

    private List<Path> tempFiles() throws IOException {
        if (!Files.isDirectory(file.getParent())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** Fails the test with the process's output. */
    protected static void failWith(Process process, String what) throws IOException {
        fail(what + ":\n" + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
