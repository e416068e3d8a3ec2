package dev.waterfall.contract;

import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.Value;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trials with real processes that every store kept in files goes through: writers racing,
 * and writers killed at random instants. The durability suites of the file stores and the NDJSON
 * log's tests share them.
 */
public final class ProcessTrials {

    private ProcessTrials() {
    }

    /** Waits for each process and asserts it exited with 0, showing its output when not. */
    public static void awaitSuccess(List<Process> processes) throws IOException, InterruptedException {
        for (Process process : processes) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("process finished").isTrue();
            assertThat(process.exitValue()).as("exit code; output:\n" + output).isZero();
        }
    }

    /** Runs {@code count} processes that each increment {@code key} {@code times} times with compare-and-set and retry, to their end. */
    public static void incrementFromProcesses(String uri, String key, int count, int times) throws IOException, InterruptedException {
        List<Process> processes = new java.util.ArrayList<>();
        for (int p = 0; p < count; p++) {
            processes.add(JavaProcess.start(ChildWriter.class, "counter", uri, key, Integer.toString(times)));
        }
        awaitSuccess(processes);
    }

    /**
     * {@code rounds} times: starts a {@link ChildWriter} {@code loop} on {@code uri}, lets it
     * acknowledge writes, kills it with SIGKILL at a random instant, and checks that the store (as
     * {@code snapshot} reads it) holds {@code w.k0 .. w.k(n)} without a gap and every acknowledged
     * write. {@code dir} takes each writer's stderr.
     */
    public static void killDashNine(Path dir, String uri, Supplier<Snapshot> snapshot, int rounds) throws Exception {
        Random random = new Random(20261126);
        long lastAcknowledged = -1;
        long acknowledgedWrites = 0;
        for (int round = 0; round < rounds; round++) {
            Process child = JavaProcess.start(ChildWriter.class, dir.resolve("writer-" + round + ".err"), "loop", uri);
            AtomicLong acknowledged = new AtomicLong(lastAcknowledged);
            BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Thread pump = new Thread(() -> {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.matches("ack \\d+")) {
                            acknowledged.set(Long.parseLong(line.substring(4)));
                        }
                    }
                } catch (IOException e) {
                    // the process died
                }
            });
            pump.start();
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.get() == lastAcknowledged && System.nanoTime() < waitUntil && child.isAlive()) {
                Thread.sleep(1);
            }
            assertThat(child.isAlive()).as("the writer is running (round " + round + ")").isTrue();
            Thread.sleep(random.nextInt(120));
            // SIGKILL through the handle: Process.destroyForcibly() would also close the pipe and drop acks still in it
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join(10_000);

            Map<Key, Entry> written = snapshot.get().under(Key.of("w")); // must read
            long highest = -1;
            for (Entry entry : written.values()) {
                long n = Long.parseLong(entry.key().name().substring(1));
                assertThat(entry.value()).isEqualTo(Value.of(n));
                highest = Math.max(highest, n);
            }
            assertThat(written.size()).as("round " + round + ": the store holds w.k0 .. w.k(n) without gaps").isEqualTo(highest + 1);
            assertThat(highest).as("round " + round + ": every acknowledged write is there")
                    .isBetween(acknowledged.get(), acknowledged.get() + 1);
            acknowledgedWrites += acknowledged.get() - lastAcknowledged;
            lastAcknowledged = highest;
        }
        // the figure docs/reliability.md quotes (surefire keeps it in the test's -output.txt)
        System.out.println("kill -9 " + uri + ": " + rounds + " rounds (seed 20261126), " + acknowledgedWrites
                + " acknowledged writes; unparsable 0, acknowledged writes lost 0");
    }
}
