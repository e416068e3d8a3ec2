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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The NDJSON store's write and read paths, next to their floors and to the JSON store:
 * <ul>
 *   <li>{@code set} of one key in a 1,000-key log (lock, read what others appended, check, append
 *       one line, fsync), next to a bare append + fsync of a line of the same length, and next to
 *       the JSON store's {@code set} of one key in a 1,000-key file (which replaces the file);</li>
 *   <li>{@code get} of a key in an unchanged log, next to one {@code Files.readAttributes}.</li>
 * </ul>
 * The log grows by one line per {@code set}; compaction (every 10,000 commits) is part of what is measured.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar NdjsonStoreBenchmark}
 * (set {@code -Djava.io.tmpdir} to put the stores on another file system).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NdjsonStoreBenchmark {

    @Param("1000")
    public int keys;

    private Path folder;
    private Path file;
    private Waterfall log;
    private Waterfall json;
    private ConfigStore store;
    private ConfigStore jsonStore;
    private Key readKey;
    private Key writeKey;
    private long counter;
    private byte[] line;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        file = folder.resolve("config.ndjson");
        log = open("ndjson:" + file);
        json = open("json:" + folder.resolve("config.json"));
        store = log.store();
        jsonStore = json.store();
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
        }
        store.apply(batch);
        jsonStore.apply(batch);
        readKey = Key.of("section7.key" + (keys / 2 / 20 * 20 + 7));
        writeKey = Key.of("section3.key3");
        store.set(writeKey, Value.of(-1));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        line = (lines.get(lines.size() - 1) + "\n").getBytes(StandardCharsets.UTF_8);
        store.get(readKey).orElseThrow();
    }

    private Waterfall open(String uri) {
        return BenchStores.open(uri, folder);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        json.close();
        BenchStores.deleteFolder(folder);
    }

    /** A fresh read through the store: stat, then the state already read. */
    @Benchmark
    public Object getUnchanged() {
        return store.get(readKey);
    }

    /** The floor of any fresh read: one stat of the file. */
    @Benchmark
    public Object readAttributesFloor() throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class);
    }

    /** One key changed: lock, read what others appended, check, append one line, fsync (and compact every 10,000). */
    @Benchmark
    public Object setOneKey() {
        return store.set(writeKey, Value.of(counter++));
    }

    /** The floor of any durable append of such a line: open for append, write, fsync. */
    @Benchmark
    public void bareAppendSync() throws IOException {
        try (FileChannel channel = FileChannel.open(folder.resolve("bare.ndjson"), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** The same change in a 1,000-key JSON store, which replaces its file (for comparison). */
    @Benchmark
    public Object jsonSetOneKey() {
        return jsonStore.set(writeKey, Value.of(counter++));
    }
}
