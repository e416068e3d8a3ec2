package dev.waterfall.contract;

import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The power cut, many times over: a real writer process ({@link ChildWriter} {@code loop}, which
 * prints {@code ack n} once {@code set w.k<n> = n} has returned) writes into a store on a file
 * system of its own ({@link LoopMount}); at a random instant the power is cut under it
 * ({@code EXT4_IOC_SHUTDOWN} without flushing the journal), the writer is killed, the file system
 * is checked and mounted again as at boot, and the store must
 * <ul>
 *   <li><b>parse</b>: it opens and reads through Waterfall, and an independent reader of its format
 *       (Python's {@code json} or {@code tomllib}, {@code sqlite3}'s {@code PRAGMA integrity_check})
 *       agrees, where the store gives one;</li>
 *   <li><b>hold every acknowledged write</b>: {@code w.k0 .. w.k<n>} without a gap, each with its value,
 *       up to at least the last {@code ack} read before the cut began, in this trial and all before
 *       it. A write is acknowledged when {@code set} returned, which it does only after its fsyncs
 *       returned, so these are exactly the writes the cut must not take; the write in flight may be
 *       there or not. An {@code ack} that comes while the file system is shutting down is counted
 *       apart and not held against the store: the shutdown is not instantaneous the way a power cut
 *       is, and an fsync running while it happens can return success for data that never reached
 *       the device (seen with a bare Python loop of {@code pwrite} + {@code fsync} under
 *       {@code strace}: 4 of 40 cuts, with either shutdown flag). On a real machine that fsync would
 *       never have returned. The cut is one line written to an {@code xfs_io} started beforehand
 *       ({@link LoopMount#armCut()}), so the window is one pipe write and one wake-up of that
 *       process (milliseconds on a loaded machine); the figures say how many writes returned in it
 *       and how many of those were kept;</li>
 *   <li><b>leave no temp file after the next write</b>: one more {@code set} through Waterfall, with
 *       every instance closed afterwards, and no {@code *.tmp} nor SQLite journal is left anywhere in
 *       the store's folder (those found right after the cut, before that write, are counted too).</li>
 * </ul>
 * The instants come from a seeded {@link Random} (the seed is printed; {@code -Dwaterfall.powercut.seed}
 * and {@code -Dwaterfall.powercut.trials} choose others), each the time after the trial's first
 * acknowledged write; the writes themselves run at the disk's pace, so the same seed cuts at the
 * same offsets but not always at the same step of a write. One line per trial and a summary line
 * are printed; the summary is what docs/reliability.md quotes.
 */
public final class PowerCutTrials {

    /** The default seed of the instants. */
    public static final long DEFAULT_SEED = 20261207L;

    /** The default number of trials per store. */
    public static final int DEFAULT_TRIALS = 50;

    /** The longest wait, after a trial's first acknowledged write, before the cut. */
    private static final int MAX_DELAY_MICROS = 250_000;

    /** What a run found: the figures of docs/reliability.md. */
    public record Figures(String store, long seed, int trials, long acknowledged, int unparsable, long lost,
                          int tempFilesAfterCut, int tempFilesLeft, int fsckCorrections, int inFlightKept,
                          long returnedDuringCut, long returnedDuringCutMissing) {

        /** Whether the store kept every promise. */
        public boolean held() {
            return unparsable == 0 && lost == 0 && tempFilesLeft == 0;
        }

        /** The summary line. */
        public String line() {
            return "power cut " + store + ": " + trials + " trials (seed " + seed + "), " + acknowledged
                    + " acknowledged writes; unparsable " + unparsable + ", acknowledged writes lost " + lost
                    + ", temp files left after the next write " + tempFilesLeft + " (found right after the cut "
                    + tempFilesAfterCut + "); the write in flight survived " + inFlightKept + " times; " + returnedDuringCut
                    + " writes returned while the file system was shutting down, " + returnedDuringCutMissing + " of them not kept;"
                    + " e2fsck corrected the free counts " + fsckCorrections + " times";
        }
    }

    /**
     * A check of the store's file by a reader that is not Waterfall: given the mounted folder,
     * empty if the file is sound, else what is wrong.
     */
    @FunctionalInterface
    public interface IndependentReader {
        Optional<String> problem(Path folder) throws IOException, InterruptedException;

        /** No reader but Waterfall's own (NDJSON: a torn last line is the format's to handle). */
        static IndependentReader none() {
            return folder -> Optional.empty();
        }

        /**
         * A reader that runs {@code command} (built from the folder) and expects exit 0 and, if
         * {@code expected} is not null, exactly that output (stripped).
         */
        static IndependentReader command(Function<Path, List<String>> command, String expected) {
            return folder -> {
                List<String> line = command.apply(folder);
                LoopMount.Result result = LoopMount.run(line);
                if (result.exit() != 0 || (expected != null && !result.output().strip().equals(expected))) {
                    return Optional.of("`" + String.join(" ", line) + "` exited " + result.exit() + ": " + result.output().strip());
                }
                return Optional.empty();
            };
        }
    }

    private PowerCutTrials() {
    }

    /**
     * The Python 3 interpreter itself, not a wrapper in front of it (pyenv's {@code python3} shim
     * takes a second or more to start one under load; the trials start one per cut).
     */
    public static String python() throws IOException, InterruptedException {
        LoopMount.Result found = LoopMount.run(List.of("python3", "-c", "import sys; print(sys.executable)"));
        if (found.exit() != 0 || found.output().isBlank()) {
            throw new AssertionError("the power-cut trials read the files with Python 3 too, and `python3` did not start: " + found.output());
        }
        return found.output().strip();
    }

    /**
     * Runs the trials on a store of {@code uriIn(folder)}, in a fresh file system made in
     * {@code work}, printing to {@code out}; asserts the three promises at the end and returns the
     * figures.
     */
    public static Figures run(String store, Path work, Function<Path, String> uriIn, IndependentReader reader, PrintStream out)
            throws Exception {
        long seed = Long.getLong("waterfall.powercut.seed", DEFAULT_SEED);
        int trials = Integer.getInteger("waterfall.powercut.trials", DEFAULT_TRIALS);
        Random random = new Random(seed);
        out.println("power cut " + store + ": " + trials + " trials, seed " + seed);
        out.flush();
        Figures figures;
        try (LoopMount disk = LoopMount.create(work, 256)) {
            Path folder = disk.root().resolve("store");
            String uri = uriIn.apply(folder);
            out.println("  store " + uri + " on " + disk.device() + " (ext4, " + disk.root() + ")");
            List<String> archive = writerArchive(work, uriIn.apply(work.resolve("warm-up")));
            long expectedUpTo = -1; // every w.k0 .. w.k(expectedUpTo) has been acknowledged
            long acknowledgedTotal = 0;
            int unparsable = 0;
            long lost = 0;
            int tempAfterCut = 0;
            int tempLeft = 0;
            int corrections = 0;
            int inFlightKept = 0;
            long duringCut = 0;
            long duringCutMissing = 0;
            String firstProblem = null;
            for (int trial = 1; trial <= trials; trial++) {
                int delayMicros = random.nextInt(MAX_DELAY_MICROS);
                Cut cut = cutWhileWriting(work, uri, disk, delayMicros, trial, archive);
                int fsck = disk.remount();
                if (fsck == 1) {
                    corrections++;
                }
                List<Path> afterCut = tempFiles(folder);
                tempAfterCut += afterCut.size();

                String problem = null;
                long highest = -1;
                long lostNow = 0;
                Optional<String> independent = reader.problem(folder);
                try (Waterfall waterfall = open(uri)) {
                    Snapshot snapshot = waterfall.store().snapshot();
                    Map<Key, Entry> written = snapshot.under(Key.of("w"));
                    for (Entry entry : written.values()) {
                        highest = Math.max(highest, Long.parseLong(entry.key().name().substring(1)));
                    }
                    long lastAck = Math.max(expectedUpTo, cut.lastAck());
                    for (long n = 0; n <= Math.max(Math.max(lastAck, highest), cut.lastAckAtAll()); n++) {
                        Optional<Entry> entry = snapshot.get(Key.of("w.k" + n));
                        boolean right = entry.isPresent() && entry.get().value().equals(Value.of(n));
                        if (!right && n > lastAck && n <= cut.lastAckAtAll() && n > highest) {
                            duringCutMissing++; // returned while the power went: not promised (see the class comment)
                        } else if (!right && n <= lastAck) {
                            lostNow++;
                            if (problem == null) {
                                problem = "acknowledged w.k" + n + " is " + entry.map(e -> e.value().toString()).orElse("missing");
                            }
                        } else if (!right && problem == null) {
                            problem = "w.k" + n + " is " + entry.map(e -> e.value().toString()).orElse("missing")
                                    + " though w.k" + highest + " is there (a gap)";
                        }
                    }
                    if (highest > Math.max(lastAck, cut.lastAckAtAll())) {
                        inFlightKept++;
                    }
                    expectedUpTo = Math.max(lastAck, highest);
                    waterfall.store().set(Key.of("after.cut"), Value.of(trial)); // the next write
                } catch (WaterfallException e) {
                    unparsable++;
                    problem = "the store does not open after the cut: " + e.getMessage();
                }
                if (independent.isPresent()) {
                    if (problem == null) {
                        unparsable++;
                    }
                    problem = (problem == null ? "" : problem + "; ") + "independent reader: " + independent.get();
                }
                List<Path> left = tempFiles(folder);
                tempLeft += left.size();
                lost += lostNow;
                acknowledgedTotal += cut.acknowledged();
                duringCut += cut.duringTheCut();
                if (!left.isEmpty()) {
                    problem = (problem == null ? "" : problem + "; ") + "left after the next write: " + names(folder, left);
                }
                String line = String.format("  trial %d: first ack %d ms after the writer's start, cut %.1f ms after the first ack, %d acknowledged (up to w.k%d),"
                                + " %d more returned during the cut, store holds up to w.k%d, e2fsck %d, temp files after the cut %d%s",
                        trial, cut.startMillis(), delayMicros / 1000.0, cut.acknowledged(), cut.lastAck(), cut.duringTheCut(), highest, fsck,
                        afterCut.size(),
                        problem == null ? "" : "  PROBLEM: " + problem);
                out.println(line);
                out.flush();
                if (problem != null && firstProblem == null) {
                    firstProblem = "trial " + trial + " (seed " + seed + "): " + problem;
                }
                if (problem != null && highest < 0 && unparsable > 0) {
                    break; // nothing more can be learnt from a store that does not open
                }
            }
            figures = new Figures(store, seed, trials, acknowledgedTotal, unparsable, lost, tempAfterCut, tempLeft, corrections, inFlightKept,
                    duringCut, duringCutMissing);
            out.println(figures.line());
            out.flush();
            assertThat(firstProblem).as(figures.line()).isNull();
        }
        assertThat(figures.held()).as(figures.line()).isTrue();
        return figures;
    }

    /**
     * What the writer acknowledged: {@code lastAck} is the last acknowledgement read before the cut
     * began, {@code lastAckAtAll} the last one it printed before it was killed (the fsyncs that were
     * running while the file system shut down may still have returned success).
     */
    private record Cut(long firstAck, long lastAck, long lastAckAtAll, long startMillis) {
        long acknowledged() {
            return lastAck < firstAck ? 0 : lastAck - firstAck + 1;
        }

        long duringTheCut() {
            return lastAckAtAll - lastAck;
        }
    }

    /** Starts a writer, waits for its first acknowledgement and {@code delayMicros} more, cuts the power and kills the writer. */
    private static Cut cutWhileWriting(Path work, String uri, LoopMount disk, int delayMicros, int trial, List<String> archive) throws Exception {
        Path errors = work.resolve("writer.err");
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(JavaProcess.command(ChildWriter.class, "loop", uri));
        command.addAll(1, archive);
        Process writer = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        AtomicLong first = new AtomicLong(-1);
        AtomicLong last = new AtomicLong(-1);
        BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.matches("ack \\d+")) {
                        long n = Long.parseLong(line.substring(4));
                        first.compareAndSet(-1, n);
                        last.set(n);
                    }
                }
            } catch (IOException e) {
                // the writer died
            }
        }, "power-cut-acks");
        pump.start();
        long startMillis = -1;
        long beforeCut = -1;
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (first.get() < 0 && writer.isAlive() && System.nanoTime() < giveUp) {
                Thread.sleep(1);
            }
            if (first.get() < 0) {
                throw new AssertionError("trial " + trial + ": the writer acknowledged no write (alive: " + writer.isAlive() + "): "
                        + (Files.exists(errors) ? Files.readString(errors) : ""));
            }
            startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            disk.armCut();
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros));
            assertThat(writer.isAlive()).as("trial " + trial + ": the writer is still writing when the power is cut; its errors: "
                    + (Files.exists(errors) ? Files.readString(errors) : "")).isTrue();
            beforeCut = last.get();
            disk.cut();
        } finally {
            // SIGKILL through the handle: Process.destroyForcibly() would also close the pipe and drop acks still in it
            writer.toHandle().destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
            pump.join(10_000);
        }
        return new Cut(first.get(), beforeCut, last.get(), startMillis);
    }

    /**
     * The writer's JVM options for a class-data archive of the classes it loads, made by one
     * writer that runs to its end outside the trial's file system: every trial starts a JVM, and
     * loading Waterfall's classes from the archive rather than from the jars is most of the start-up
     * saved. Empty (the JDK's own archive only) if the archive could not be made.
     */
    private static List<String> writerArchive(Path work, String warmUpUri) throws IOException, InterruptedException {
        if (Boolean.getBoolean("waterfall.powercut.noarchive")) {
            return List.of();
        }
        Path archive = work.resolve("writer.jsa");
        List<String> command = new ArrayList<>(JavaProcess.command(ChildWriter.class, "set", warmUpUri, "warm.up", "1"));
        command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
        LoopMount.Result made = LoopMount.run(command);
        if (made.exit() != 0 || !Files.isRegularFile(archive)) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive);
    }

    private static Waterfall open(String uri) {
        return Waterfall.builder("contract")
                .store(uri)
                .environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir")))
                .identity(new ProcessIdentity("power-cut-check", "testhost", ProcessHandle.current().pid()))
                .surface("test")
                .open();
    }

    /** Temp files anywhere under {@code folder}: the durable-file protocol's {@code .<name>.<random>.tmp} and SQLite's rollback journals. */
    static List<Path> tempFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(path -> {
                String name = path.getFileName().toString();
                return name.endsWith(".tmp") || name.endsWith("-journal");
            }).toList();
        }
    }

    private static String names(Path folder, List<Path> files) {
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            names.add(folder.relativize(file).toString());
        }
        return String.join(", ", names);
    }
}
