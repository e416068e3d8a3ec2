package dev.waterfall.contract;

import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A store on a file system that went read-only (EROFS: mounted {@code ro}, or remounted so by the
 * kernel after an error), for real: the store lives on an ext4 file system of its own
 * ({@link LoopMount}), which is remounted read-only under it. A set and an unset must each fail
 * with one clear line that names the store's folder and says the file system is read-only (not a
 * symbolic link or a stack trace), and change no byte of any file; once the file system is
 * writable again, every earlier value is there and the next write succeeds.
 *
 * <p>Needs root and a loop device, like the power-cut trials: it runs from each backend's
 * {@code *PowerCutTrials} class, which {@code scripts/power-cut-trials} (a step of
 * {@code scripts/test-all}, run as root by {@code .ci/run}) runs; a machine that refuses the mount
 * fails it with the reason, never skips it.
 */
public final class ReadOnlyFileSystemTrial {

    private ReadOnlyFileSystemTrial() {
    }

    /** Runs the trial on a store of {@code uriIn(folder)} in a fresh file system made in {@code work}; returns its summary line. */
    public static String run(String store, Path work, Function<Path, String> uriIn, PrintStream out) throws Exception {
        try (LoopMount disk = LoopMount.create(work, 16)) {
            Path folder = disk.root().resolve("store");
            String uri = uriIn.apply(folder);
            try (Waterfall waterfall = open(uri)) {
                waterfall.store().set(Key.of("kept.a"), Value.of(1));
                waterfall.store().set(Key.of("kept.b"), Value.of("two"));
            }
            Map<Path, byte[]> before = files(folder);
            disk.remount(true);

            String readOutcome;
            try (Waterfall waterfall = open(uri)) {
                readOutcome = "read " + waterfall.store().get(Key.of("kept.a")).map(Entry::value).map(Value::toJson).orElse("nothing");
            } catch (WaterfallException e) {
                readOutcome = "read refused: " + e.getMessage();
                assertThat(e.getMessage()).as("a refused read is one line naming the store").doesNotContain("\n").contains(folder.toString());
            }
            for (String attempt : new String[] {"set", "unset"}) {
                WaterfallException refused;
                try (Waterfall waterfall = open(uri)) {
                    refused = catchThrowableOfType(() -> {
                        if (attempt.equals("set")) {
                            waterfall.store().set(Key.of("kept.c"), Value.of(3));
                        } else {
                            waterfall.store().unset(Key.of("kept.a"));
                        }
                    }, WaterfallException.class);
                }
                assertThat(refused).as("a " + attempt + " on a read-only file system is refused").isNotNull();
                String message = refused.getMessage();
                out.println("read-only " + store + ": " + attempt + " refused: " + message);
                assertThat(message).as(attempt).doesNotContain("\n").contains(folder.toString()).containsIgnoringCase("read-only")
                        .doesNotContainIgnoringCase("symbolic link").doesNotContainIgnoringCase("symlink").hasSizeLessThan(600);
                assertThat(files(folder)).as("no byte changed by the refused " + attempt).containsOnlyKeys(before.keySet())
                        .allSatisfy((path, bytes) -> assertThat(bytes).as(path.toString()).isEqualTo(before.get(path)));
            }

            disk.remount(false);
            try (Waterfall waterfall = open(uri)) {
                assertThat(waterfall.store().get(Key.of("kept.a"))).map(Entry::value).isEqualTo(Optional.of(Value.of(1)));
                assertThat(waterfall.store().get(Key.of("kept.b"))).map(Entry::value).isEqualTo(Optional.of(Value.of("two")));
                assertThat(waterfall.store().get(Key.of("kept.c"))).isEmpty();
                waterfall.store().set(Key.of("kept.c"), Value.of(3));
            }
            try (Waterfall waterfall = open(uri)) {
                assertThat(waterfall.store().get(Key.of("kept.c"))).map(Entry::value).isEqualTo(Optional.of(Value.of(3)));
            }
            String line = "read-only " + store + ": a set and an unset on a read-only file system each refused in one line naming "
                    + folder + ", no byte changed, every value kept, the next write after remounting read-write succeeded; " + readOutcome;
            out.println(line);
            return line;
        }
    }

    private static Map<Path, byte[]> files(Path folder) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(path)) {
                    files.put(path, Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static Waterfall open(String uri) {
        return Waterfall.builder("contract")
                .store(uri)
                .environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir")))
                .identity(new ProcessIdentity("read-only-check", "testhost", ProcessHandle.current().pid()))
                .surface("test")
                .open();
    }
}
