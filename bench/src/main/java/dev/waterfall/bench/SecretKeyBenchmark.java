package dev.waterfall.bench;

import dev.waterfall.config.SecretPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What an export pays per row to withhold keys that look like secrets: {@link SecretPolicy#looksSecret(byte[], int, int)}
 * over 1,024 keys as a SQL store hands them over
 * (one byte array, a range each); the figure is per key.
 * <ul>
 *   <li>{@code numbered}: {@code app.section<n>.key<n>}, the export benchmark's keys, which end in a digit;</li>
 *   <li>{@code words}: names that end in a word, none of them a secret ({@code plant.default_name}, ...);</li>
 *   <li>{@code nearMisses}: the worst case, every name ends like a secret's but is none
 *       ({@code ui.monkey}, {@code db.dbpassword}), so each one is split into words.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar SecretKeyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SecretKeyBenchmark {

    private static final int KEYS = 1024;

    @Param({"numbered", "words", "nearMisses"})
    public String keys;

    private byte[] bytes;
    private int[] starts;
    private int[] ends;

    @Setup
    public void setUp() {
        String[] words = {"default_name", "port", "enabled", "timeout_ms", "color", "path", "max_retries", "url"};
        String[] nearMisses = {"monkey", "dbpassword", "primary_key", "hotkey", "tokens_used", "xsecret_", "sort_key", "passwords"};
        StringBuilder all = new StringBuilder();
        starts = new int[KEYS];
        ends = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            starts[i] = all.length();
            all.append(switch (keys) {
                case "numbered" -> "app.section" + (i % 1000) + ".key" + (i * 977);
                case "words" -> "app.section" + (i % 100) + "." + words[i % words.length];
                default -> "app.section" + (i % 100) + "." + nearMisses[i % nearMisses.length];
            });
            ends[i] = all.length();
        }
        bytes = all.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** All 1,024 keys, counted as 1,024 operations. */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int looksSecret() {
        int secrets = 0;
        for (int i = 0; i < KEYS; i++) {
            if (SecretPolicy.looksSecret(bytes, starts[i], ends[i])) {
                secrets++;
            }
        }
        return secrets;
    }
}
