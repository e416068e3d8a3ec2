package dev.waterfall.bench;

import dev.waterfall.config.ArrayValue;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TOML store's write path against the JSON store's (issue 3): {@code set} of one key in a
 * 1,000-key store of each format, the same keys and values in both (20 tables of 50 string keys).
 * Target: the TOML set at most 2x the JSON set. Both do the same durable-file work (lock, re-read,
 * merge, backup, fsynced atomic replace, metadata, history). A new value for a key written on one
 * line is replaced in the text and read back on its own ({@code TomlSplice}); any other change
 * (here an array, {@link #setArrayToml}) goes through tomlj's source-preserving editor, which parses
 * the file for the edit and again for the kernel's check.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar TomlStoreBenchmark}
 * (set {@code -Djava.io.tmpdir} to put the stores on another file system).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TomlStoreBenchmark {

    @Param("1000")
    public int keys;

    private Path folder;
    private Waterfall toml;
    private Waterfall json;
    private ConfigStore tomlStore;
    private ConfigStore jsonStore;
    private Key writeKey;
    private final Key arrayKey = Key.of("section3.sizes");
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        toml = open("toml:" + folder.resolve("config.toml"));
        json = open("json:" + folder.resolve("config.json"));
        tomlStore = toml.store();
        jsonStore = json.store();
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
        }
        batch.add(Change.set(arrayKey, Value.parseJson("[0]")));
        tomlStore.apply(batch);
        jsonStore.apply(batch);
        writeKey = Key.of("section3.key3");
    }

    private Waterfall open(String uri) {
        return BenchStores.open(uri, folder);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        toml.close();
        json.close();
        BenchStores.deleteFolder(folder);
    }

    /** One key changed in the 1,000-key TOML store, the rest of the file kept byte for byte. */
    @Benchmark
    public Object setOneKeyToml() {
        return tomlStore.set(writeKey, Value.of(counter++));
    }

    /** A fresh read of an unchanged TOML store: the same kernel path as JSON's (a stat, then memory). */
    @Benchmark
    public Object getOneKeyToml() {
        return tomlStore.get(writeKey);
    }

    /** A change the text splice leaves to tomlj's editor: an array's item, in the same file. */
    @Benchmark
    public Object setArrayToml() {
        return tomlStore.set(arrayKey, new ArrayValue(List.of(Value.of(counter++))));
    }

    /** The same change in the 1,000-key JSON store: the reference. */
    @Benchmark
    public Object setOneKeyJson() {
        return jsonStore.set(writeKey, Value.of(counter++));
    }
}
