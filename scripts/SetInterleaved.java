import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON store's {@code set} of one key in a 1,000-key store next to a bare durable replace of the
 * same bytes (temp write, fsync, rename, folder fsync), interleaved in one JVM: rounds of 200 of
 * each, medians after 3 warm-up rounds, so that both see the same disk and the same load.
 * Complements {@code JsonStoreBenchmark} (docs/benchmarks.md, "JSON store"), whose forks run one
 * after the other.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar scripts/SetInterleaved.java 15   # rounds
 * </pre>
 */
public class SetInterleaved {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path folder = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "waterfall-set-");
        Path file = folder.resolve("config.json");
        try (Waterfall waterfall = Waterfall.builder("bench").store("json:" + file).environment(Map.of()).home(folder)
                .identity(new ProcessIdentity("bench", "bench", ProcessHandle.current().pid())).open()) {
            ConfigStore store = waterfall.store();
            List<Change> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
            }
            store.apply(batch);
            byte[] bytes = Files.readAllBytes(file);
            Key key = Key.of("section3.key3");
            long[] sets = new long[rounds * 200];
            long[] bares = new long[rounds * 200];
            int measured = 0;
            long counter = 0;
            for (int round = -3; round < rounds; round++) {
                for (int i = 0; i < 200; i++) {
                    long start = System.nanoTime();
                    store.set(key, Value.of(counter++));
                    long set = System.nanoTime() - start;
                    start = System.nanoTime();
                    bareReplace(folder, bytes);
                    long bare = System.nanoTime() - start;
                    if (round >= 0) {
                        sets[measured] = set;
                        bares[measured++] = bare;
                    }
                }
            }
            Arrays.sort(sets);
            Arrays.sort(bares);
            long set = sets[sets.length / 2];
            long bare = bares[bares.length / 2];
            System.out.printf("set %d us, bare replace %d us (medians of %d): %.2fx%n", set / 1000, bare / 1000, sets.length, (double) set / bare);
        } finally {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void bareReplace(Path folder, byte[] bytes) throws IOException {
        Path target = folder.resolve("bare.json");
        Path temp = folder.resolve(".bare.json.tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
