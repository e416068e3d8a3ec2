package dev.waterfall.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link BindBenchmark}'s bind timed by the thread's CPU time rather than the wall clock: on a
 * shared machine whose load is many times its cores, JMH's wall-clock average mostly measures the
 * wait for a core; the CPU time a bind costs is what a program pays. Warms up for 20 s of wall
 * time, then prints the CPU time per bind over rounds of 20,000.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -cp bench/target/benchmarks.jar dev.waterfall.bench.BindCpuTime}
 */
public final class BindCpuTime {

    private BindCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        BindBenchmark benchmark = new BindBenchmark();
        benchmark.setUp();
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long warmUntil = System.nanoTime() + 20_000_000_000L;
            long sink = 0;
            while (System.nanoTime() < warmUntil) {
                sink += benchmark.bind40FieldsFrom1000KeyStore().http().port();
            }
            int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
            for (int round = 0; round < rounds; round++) {
                int n = 20_000;
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += benchmark.bind40FieldsFrom1000KeyStore().http().port();
                }
                long cpuPer = (threads.getCurrentThreadCpuTime() - cpu) / n;
                long wallPer = (System.nanoTime() - wall) / n;
                System.out.printf("round %d: bind %.1f us CPU, %.1f us wall%n", round + 1, cpuPer / 1000.0, wallPer / 1000.0);
            }
            System.out.println("(" + sink + ")");
        } finally {
            benchmark.tearDown();
        }
    }
}
