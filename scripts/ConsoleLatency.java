import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.console.Console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The settings console's figures for docs/benchmarks.md ("Settings console"), over HTTP from this
 * JVM (not in a browser): the key list of a 10,000-key JSON store, the time from a commit by
 * another writer to its event on an open stream (JSON and SQLite stores), and 50 open streams with
 * one commit a second each, counting lost events.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar scripts/ConsoleLatency.java
 * </pre>
 */
public class ConsoleLatency {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("console-latency");
        try {
            keyList(dir);
            for (String kind : List.of("json", "sqlite")) {
                commitToEvent(dir, kind, 40);
            }
            fiftyPages(dir, 50, 20);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String token(Console console) {
        String uri = console.uri().toString();
        return uri.substring(uri.indexOf("token=") + 6);
    }

    private static void keyList(Path dir) throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (int group = 0; group < 100; group++) {
            json.append(group == 0 ? "" : ",").append("\"group").append(group).append("\":{");
            for (int key = 0; key < 100; key++) {
                json.append(key == 0 ? "" : ",").append("\"key").append(key).append("\":").append(group * 100 + key);
            }
            json.append('}');
        }
        Path file = Files.writeString(dir.resolve("big.json"), json.append('}').toString());
        try (Waterfall config = Waterfall.builder("bench").store("json:" + file).home(dir).environment(Map.of()).open();
             Console console = Console.builder(config).start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/api/keys"))
                    .header("Authorization", "Bearer " + token(console)).build();
            long[] millis = new long[15];
            long bytes = 0;
            for (int i = -5; i < millis.length; i++) {
                long start = System.nanoTime();
                bytes = client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - start) / 1_000_000;
                }
            }
            Arrays.sort(millis);
            System.out.printf("GET /api/keys, 10,000 keys (%,d bytes): median %d ms, min %d ms, max %d ms%n", bytes,
                    millis[millis.length / 2], millis[0], millis[millis.length - 1]);
        }
    }

    private static void commitToEvent(Path dir, String kind, int commits) throws Exception {
        String uri = kind + ":" + dir.resolve("latency." + kind);
        try (Waterfall mine = Waterfall.builder("bench").store(uri).home(dir).environment(Map.of()).open();
             Waterfall writer = Waterfall.builder("bench").store(uri).home(dir).environment(Map.of()).surface("writer").open();
             Console console = Console.builder(mine).start()) {
            writer.set("counter", Value.of(-1));
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/api/events"))
                    .header("Authorization", "Bearer " + token(console)).build();
            HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response ->
                    response.body().filter(line -> line.startsWith("data: ")).forEach(line -> {
                        int at = line.indexOf("\"json\":\"");
                        if (at > 0) {
                            arrived.putIfAbsent(line.substring(at + 8, line.indexOf('"', at + 8)), System.nanoTime());
                        }
                    }));
            Thread.sleep(1000);
            long[] millis = new long[commits];
            for (int i = 0; i < commits; i++) {
                long start = System.nanoTime();
                writer.set("counter", Value.of(i));
                while (!arrived.containsKey(Integer.toString(i)) && System.nanoTime() - start < 5_000_000_000L) {
                    Thread.sleep(1);
                }
                Long end = arrived.get(Integer.toString(i));
                millis[i] = end == null ? 5_000 : (end - start) / 1_000_000;
                Thread.sleep(300);
            }
            Arrays.sort(millis);
            System.out.printf("commit to event, %s store, %d commits: median %d ms, p90 %d ms, max %d ms%n", kind, commits,
                    millis[commits / 2], millis[commits * 9 / 10], millis[commits - 1]);
        }
    }

    private static void fiftyPages(Path dir, int pages, int seconds) throws Exception {
        String uri = "json:" + dir.resolve("pages.json");
        try (Waterfall mine = Waterfall.builder("bench").store(uri).home(dir).environment(Map.of()).open();
             Waterfall writer = Waterfall.builder("bench").store(uri).home(dir).environment(Map.of()).surface("writer").open();
             Console console = Console.builder(mine).start()) {
            List<AtomicInteger> received = new ArrayList<>();
            HttpClient client = HttpClient.newHttpClient();
            for (int page = 0; page < pages; page++) {
                AtomicInteger count = new AtomicInteger();
                received.add(count);
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/api/events"))
                        .header("Authorization", "Bearer " + token(console)).build();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response ->
                        response.body().filter(line -> line.startsWith("event: commit")).forEach(line -> count.incrementAndGet()));
            }
            Thread.sleep(2000);
            for (int i = 0; i < seconds; i++) {
                writer.set("tick", Value.of(i));
                Thread.sleep(1000);
            }
            Thread.sleep(2000);
            int lost = 0;
            for (AtomicInteger count : received) {
                lost += Math.max(0, seconds - count.get());
            }
            System.out.printf("%d open streams, one commit a second for %d s: %d of %d events lost%n", pages, seconds, lost,
                    pages * seconds);
        }
    }
}
