package dev.waterfall.contract;

import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk, for real: a store on a small ext4 file system of its own ({@link LoopMount}), the
 * rest of which a filler file takes until the kernel says ENOSPC, less a margin that differs from
 * trial to trial so that the space runs out at a different step of the write. A real writer
 * process ({@link ChildWriter} {@code set}) then sets a 64 KiB value. It must either succeed, and
 * the value be there, or exit 3 with one line naming the store, with the store still parsing and
 * holding what it held; no other exit. Then the filler goes, the next write must succeed and leave
 * no temp file. ({@code ulimit -f} in {@link FileStoreDurabilityContract} is the kernel's file-size
 * limit, EFBIG; this is the file system being full.)
 */
public final class DiskFullTrials {

    /** Free space left beside the filler, in KiB, one trial each. */
    private static final int[] MARGINS_KIB = {0, 4, 8, 16, 24, 32, 48, 64, 80, 96, 128, 192, 256};

    /** What a run found. */
    public record Figures(String store, int trials, int refused, int succeeded, int unparsable, int lost, int otherExits, int tempFilesLeft) {

        /** The summary line. */
        public String line() {
            return "disk full " + store + ": " + trials + " trials (ENOSPC with 0 to 256 KiB left); the 64 KiB write refused with exit 3 "
                    + refused + " times, done " + succeeded + " times; unparsable " + unparsable + ", earlier writes lost " + lost
                    + ", other exits " + otherExits + ", temp files left after the next write " + tempFilesLeft;
        }
    }

    private DiskFullTrials() {
    }

    /** Runs the trials on a store of {@code uriIn(folder)} in a fresh file system made in {@code work}. */
    public static Figures run(String store, Path work, Function<Path, String> uriIn, PrintStream out) throws Exception {
        int refused = 0;
        int succeeded = 0;
        int unparsable = 0;
        int lost = 0;
        int otherExits = 0;
        int tempLeft = 0;
        String firstProblem = null;
        String big = "\"" + "x".repeat(64 * 1024) + "\"";
        try (LoopMount disk = LoopMount.create(work, 16)) {
            Path folder = disk.root().resolve("store");
            String uri = uriIn.apply(folder);
            Path filler = disk.root().resolve("filler");
            for (int trial = 1; trial <= MARGINS_KIB.length; trial++) {
                int margin = MARGINS_KIB[trial - 1];
                try (Waterfall waterfall = open(uri)) {
                    waterfall.store().set(Key.of("kept.k" + trial), Value.of(trial));
                }
                fill(filler, margin);
                Process child = JavaProcess.start(ChildWriter.class, "set", uri, "big.t" + trial, big);
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
                int exit = child.exitValue();
                String problem = null;
                if (exit == 3 && output.contains("error:") && output.contains(folder.toString())) {
                    refused++;
                } else if (exit == 0) {
                    succeeded++;
                } else {
                    otherExits++;
                    problem = "exit " + exit + ": " + output.strip();
                }
                // Read once there is room again: this JVM must live to unmount (SQLite maps its -shm file, and
                // a page of it that cannot be given a block is a SIGBUS); what is on the disk is what counts.
                Files.delete(filler);
                try (Waterfall waterfall = open(uri)) {
                    Snapshot snapshot = waterfall.store().snapshot();
                    for (int k = 1; k <= trial; k++) {
                        if (!snapshot.get(Key.of("kept.k" + k)).map(Entry::value).equals(Optional.of(Value.of(k)))) {
                            lost++;
                            problem = problem == null ? "kept.k" + k + " lost" : problem;
                        }
                    }
                    if (exit == 0 && snapshot.get(Key.of("big.t" + trial)).isEmpty()) {
                        lost++;
                        problem = problem == null ? "the acknowledged big.t" + trial + " is missing" : problem;
                    }
                } catch (WaterfallException e) {
                    unparsable++;
                    problem = "the store does not open: " + e.getMessage();
                }
                try (Waterfall waterfall = open(uri)) {
                    waterfall.store().set(Key.of("after.t" + trial), Value.of(trial)); // the next write, with room again
                } catch (WaterfallException e) {
                    problem = problem == null ? "the next write, with room again, failed: " + e.getMessage() : problem;
                }
                List<Path> left = PowerCutTrials.tempFiles(folder);
                tempLeft += left.size();
                if (!left.isEmpty() && problem == null) {
                    problem = "left after the next write: " + left;
                }
                out.println("  trial " + trial + ": " + margin + " KiB left, exit " + exit
                        + (exit == 0 ? "" : " (" + errorLine(output) + ")") + (problem == null ? "" : "  PROBLEM: " + problem));
                if (problem != null && firstProblem == null) {
                    firstProblem = "trial " + trial + " (" + margin + " KiB left): " + problem;
                }
            }
        }
        Figures figures = new Figures(store, MARGINS_KIB.length, refused, succeeded, unparsable, lost, otherExits, tempLeft);
        out.println(figures.line());
        out.flush();
        assertThat(firstProblem).as(figures.line()).isNull();
        assertThat(refused).as("the disk was full for some of the writes: " + figures.line()).isPositive();
        return figures;
    }

    /** Writes {@code filler} until the file system refuses, then gives back {@code marginKib}. */
    private static void fill(Path filler, int marginKib) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream stream = Files.newOutputStream(filler)) {
            while (true) {
                stream.write(block);
            }
        } catch (IOException full) {
            // ENOSPC: the file system is full
        }
        long size = Files.size(filler);
        try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Math.max(0, size - marginKib * 1024L));
            channel.force(true);
        }
    }

    /** The writer's error line (it prints "ready" first), shortened. */
    private static String errorLine(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("error:")) {
                return line.length() > 300 ? line.substring(0, 300) + "..." : line;
            }
        }
        return output.strip();
    }

    private static Waterfall open(String uri) {
        return Waterfall.builder("contract")
                .store(uri)
                .environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir")))
                .identity(new ProcessIdentity("disk-full-check", "testhost", ProcessHandle.current().pid()))
                .surface("test")
                .open();
    }
}
