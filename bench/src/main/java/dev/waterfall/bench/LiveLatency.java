package dev.waterfall.bench;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.binding.Binder;
import dev.waterfall.config.Live;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * From another process's {@code set} returning to a {@link Live} subscriber being called (issue
 * 16's targets: median under 50 ms for the file stores and PostgreSQL, 250 ms for SQLite). This
 * process follows a live record; a writer JVM sets {@code lat.seq} to 1..N, one commit every
 * 200 ms (so that each is a commit of its own), and prints the wall-clock instant each {@code set}
 * returned. Both processes read the same clock ({@link Instant#now()}, CLOCK_REALTIME); the
 * latency of commit i is the instant the subscriber saw {@code seq = i} minus the instant its
 * {@code set} returned.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.waterfall.bench.LiveLatency 50 json toml ndjson sqlite postgresql}
 */
public final class LiveLatency {

    public record Lat(int seq) { }

    private LiveLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("writer")) {
            write(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int count = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            measure(args[i], count);
        }
    }

    private static void measure(String kind, int count) throws Exception {
        Path folder = Files.createTempDirectory("waterfall-live-latency");
        String uri = switch (kind) {
            case "json", "toml", "ndjson" -> kind + ":" + folder.resolve("config." + kind);
            case "sqlite" -> "sqlite:" + folder.resolve("config.db");
            case "postgresql" -> "postgresql://postgres@127.0.0.1:5432/test?namespace=bench-live-" + UUID.randomUUID();
            default -> throw new IllegalArgumentException(kind);
        };
        Map<Integer, Instant> seen = new ConcurrentHashMap<>();
        Map<Integer, Instant> acknowledged = new ConcurrentHashMap<>();
        try (Waterfall config = BenchStores.open(uri, folder)) {
            config.set("lat.seq", Value.of(0));
            try (Live<Lat> live = Binder.of(config).live("lat", Lat.class)) {
                live.subscribe((old, next) -> seen.put(next.seq(), Instant.now()));
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), LiveLatency.class.getName(), "writer", uri, folder.toString(),
                        Integer.toString(count));
                Process writer = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        String[] parts = line.split(" ");
                        acknowledged.put(Integer.parseInt(parts[0]), Instant.parse(parts[1]));
                    }
                }
                writer.waitFor();
                Thread.sleep(1_000); // the last commits' calls
            }
        } finally {
            BenchStores.deleteFolder(folder);
        }
        List<Double> millis = new ArrayList<>();
        int missed = 0;
        for (int i = 1; i <= count; i++) {
            Instant ack = acknowledged.get(i);
            Instant call = seen.get(i);
            if (ack == null || call == null) {
                missed++;
                continue;
            }
            millis.add(ChronoUnit.MICROS.between(ack, call) / 1000.0);
        }
        Collections.sort(millis);
        System.out.printf("%-10s  n=%d  missed=%d  median %.1f ms  p90 %.1f ms  min %.1f ms  max %.1f ms%n", kind, millis.size(), missed,
                millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(0), millis.get(millis.size() - 1));
    }

    private static void write(String uri, Path home, int count) throws Exception {
        try (Waterfall config = BenchStores.open(uri, home)) {
            for (int i = 1; i <= count; i++) {
                Thread.sleep(200);
                config.set("lat.seq", Value.of(i));
                System.out.println(i + " " + Instant.now());
                System.out.flush();
            }
        }
    }
}
