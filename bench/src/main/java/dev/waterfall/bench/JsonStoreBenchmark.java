package dev.waterfall.bench;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON store's read and write paths against the floors they are measured by (issue 2):
 * <ul>
 *   <li>{@code get} of a key in an unchanged 1,000-key store, next to one {@code Files.readAttributes}
 *       of the file (target: at most 3x) and next to parsing the file on every call, the naive
 *       stateless approach (target: at least 100x faster);</li>
 *   <li>{@code set} of one key in a 1,000-key store, next to a bare temp write + fsync + rename +
 *       folder fsync of the same bytes (target: at most 1.5x).</li>
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar JsonStoreBenchmark}
 * (set {@code -Djava.io.tmpdir} to put the store on another file system).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JsonStoreBenchmark {

    @Param("1000")
    public int keys;

    private Path folder;
    private Path file;
    private Waterfall waterfall;
    private ConfigStore store;
    private Key readKey;
    private Key writeKey;
    private long counter;
    private byte[] fileBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        file = folder.resolve("config.json");
        waterfall = BenchStores.open("json:" + file, folder);
        store = waterfall.store();
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
        }
        store.apply(batch);
        readKey = Key.of("section7.key" + (keys / 2 / 20 * 20 + 7));
        writeKey = Key.of("section3.key3");
        fileBytes = Files.readAllBytes(file);
        store.get(readKey).orElseThrow();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        waterfall.close();
        BenchStores.deleteFolder(folder);
    }

    /** A fresh read through the store: stat, then the cached parse. */
    @Benchmark
    public Object getUnchanged() {
        return store.get(readKey);
    }

    /** The floor of any fresh read: one stat of the file. */
    @Benchmark
    public Object readAttributesFloor() throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class);
    }

    /** The naive stateless approach: read and parse the whole file for every get. */
    @Benchmark
    public Object parseEveryCall() throws IOException {
        Value root = Value.parseJson(Files.readString(file));
        Value node = root;
        for (String segment : readKey.segments()) {
            node = ((dev.waterfall.config.TableValue) node).members().get(segment);
        }
        return node;
    }

    /** One key changed in the store: lock, re-read, merge, backup link, durable replace, metadata, history. */
    @Benchmark
    public Object setOneKey() {
        return store.set(writeKey, Value.of(counter++));
    }

    /** The floor of any durable write of these bytes: temp write, fsync, rename, folder fsync. */
    @Benchmark
    public void bareDurableReplace() throws IOException {
        Path target = folder.resolve("bare.json");
        Path temp = folder.resolve(".bare.json.tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(fileBytes);
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
