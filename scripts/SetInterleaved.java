import dev.waterfall.bench.JsonStoreBenchmark;

import java.util.Arrays;

/**
 * {@code JsonStoreBenchmark}'s two write benchmarks, {@code setOneKey} (one key of a 1,000-key JSON
 * store) and {@code bareDurableReplace} (temp write, fsync, rename, folder fsync of the same bytes),
 * called in turn in one JVM, medians after a warm-up: both see the same disk and the same load,
 * whereas JMH runs them in forks one after the other. For docs/benchmarks.md ("JSON store").
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar scripts/SetInterleaved.java 3000   # pairs measured
 * </pre>
 */
public class SetInterleaved {

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        JsonStoreBenchmark benchmark = new JsonStoreBenchmark();
        benchmark.keys = 1000;
        benchmark.setUp();
        try {
            long[] sets = new long[pairs];
            long[] bares = new long[pairs];
            for (int i = -600; i < pairs; i++) { // the first 600 pairs warm up
                long start = System.nanoTime();
                benchmark.setOneKey();
                long set = System.nanoTime() - start;
                start = System.nanoTime();
                benchmark.bareDurableReplace();
                long bare = System.nanoTime() - start;
                if (i >= 0) {
                    sets[i] = set;
                    bares[i] = bare;
                }
            }
            Arrays.sort(sets);
            Arrays.sort(bares);
            long set = sets[pairs / 2];
            long bare = bares[pairs / 2];
            System.out.printf("set %d us, bare replace %d us (medians of %d): %.2fx%n", set / 1000, bare / 1000, pairs, (double) set / bare);
        } finally {
            benchmark.tearDown();
        }
    }
}
