package dev.waterfall.bench;

import dev.waterfall.config.Change;
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
import java.util.concurrent.TimeUnit;

/**
 * What references cost a read (docs/references.md): {@code Waterfall.get} of a value with three
 * references ({@code jdbc:postgresql://${db.host}:${db.port}/${db.name}}) next to a plain
 * {@code get}, in a 1,000-key JSON store that does not change. Issue 20's target: at most 2× the plain get.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar ReferenceBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReferenceBenchmark {

    private Path folder;
    private Waterfall waterfall;
    private final Key plain = Key.of("db.host");
    private final Key threeReferences = Key.of("db.url");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        waterfall = BenchStores.open("json:" + folder.resolve("config.json"), folder);
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
        }
        batch.add(Change.set(Key.of("db.host"), Value.of("db.example")));
        batch.add(Change.set(Key.of("db.port"), Value.of(5432)));
        batch.add(Change.set(Key.of("db.name"), Value.of("app")));
        batch.add(Change.set(threeReferences, Value.of("jdbc:postgresql://${db.host}:${db.port}/${db.name}")));
        waterfall.store().apply(batch);
        if (!waterfall.get(threeReferences).orElseThrow().asText().equals("jdbc:postgresql://db.example:5432/app")) {
            throw new IllegalStateException("the references did not expand");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        waterfall.close();
        BenchStores.deleteFolder(folder);
    }

    /** A value without references: one fresh read of the store. */
    @Benchmark
    public Object getPlain() {
        return waterfall.get(plain);
    }

    /** A value with three references: its read and one for each referred key, each through the whole waterfall. */
    @Benchmark
    public Object getThreeReferences() {
        return waterfall.get(threeReferences);
    }
}
