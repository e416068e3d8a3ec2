package dev.waterfall.bench;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.binding.Binder;
import dev.waterfall.config.Live;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code Live.get()} of a live record (issue 16's target: under 50 ns), beside a plain field read
 * for the floor. The live record follows a JSON store (its watch threads running), so this is the
 * read a program makes on every use while another process may write.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar LiveBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LiveBenchmark {

    public record Server(String host, int port, Duration timeout) { }

    private Path folder;
    private Waterfall waterfall;
    private Live<Server> live;
    private Server plain;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        waterfall = BenchStores.open("json:" + folder.resolve("config.json"), folder);
        waterfall.set("server.host", Value.of("example.com"));
        waterfall.set("server.port", Value.of(8080));
        waterfall.set("server.timeout", Value.of("30s"));
        live = Binder.of(waterfall).live("server", Server.class);
        plain = live.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        live.close();
        waterfall.close();
        BenchStores.deleteFolder(folder);
    }

    @Benchmark
    public Server liveGet() {
        return live.get();
    }

    @Benchmark
    public Server plainField() {
        return plain;
    }
}
