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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each store is the right choice: a fresh {@code get} of one key of an unchanged store and a
 * {@code set} of one key (durable when it returns), for the JSON file, SQLite and PostgreSQL, at
 * 1,000, 10,000 and 100,000 keys. Figures are in {@code docs/benchmarks.md}.
 *
 * <p>The PostgreSQL store uses a namespace of its own on {@code WATERFALL_TEST_PG_URL} (default
 * {@code postgresql://postgres@127.0.0.1:5432/test}; {@code scripts/ensure-postgres} makes it
 * available) and removes it afterwards.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar SqlStoreBenchmark}
 * (add {@code -p store=sqlite -p keys=1000} to pick one configuration).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SqlStoreBenchmark {

    @Param({"json", "sqlite", "postgresql"})
    public String store;

    @Param({"1000", "10000", "100000"})
    public int keys;

    private Path folder;
    private Waterfall waterfall;
    private ConfigStore config;
    private String namespace;
    private Key readKey;
    private Key writeKey;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("waterfall-bench");
        String uri = switch (store) {
            case "json" -> "json:" + folder.resolve("config.json");
            case "sqlite" -> "sqlite:" + folder.resolve("config.db");
            case "postgresql" -> {
                namespace = "bench-" + UUID.randomUUID();
                String base = postgresUrl();
                yield base + (base.contains("?") ? "&" : "?") + "namespace=" + namespace;
            }
            default -> throw new IllegalArgumentException("unknown store " + store);
        };
        waterfall = BenchStores.open(uri, folder, System.getenv());
        config = waterfall.store();
        // Filled in batches of 10,000 keys, so that the setup stays reasonable on every store.
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            batch.add(Change.set(Key.of("section" + (i % 20) + ".key" + i), Value.of("value number " + i)));
            if (batch.size() == 10_000 || i == keys - 1) {
                config.apply(batch);
                batch.clear();
            }
        }
        readKey = Key.of("section7.key" + (keys / 2 / 20 * 20 + 7));
        writeKey = Key.of("section3.key3");
        config.get(readKey).orElseThrow();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        waterfall.close();
        BenchStores.deleteFolder(folder);
        if (namespace != null) {
            dropNamespace(namespace);
        }
    }

    /** A fresh read of one key of an unchanged store. */
    @Benchmark
    public Object getFresh() {
        return config.get(readKey);
    }

    /** One key changed, durable when it returns, with history and revision. */
    @Benchmark
    public Object setOneKey() {
        return config.set(writeKey, Value.of(counter++));
    }

    private static String postgresUrl() {
        String configured = System.getenv("WATERFALL_TEST_PG_URL");
        return configured == null || configured.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : configured.strip();
    }

    private static final Pattern URL = Pattern.compile("postgres(?:ql)?://(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]+)(?:/([^?]*))?.*");

    /** Removes the benchmark's own namespace, and nothing else. */
    private static void dropNamespace(String namespace) throws SQLException {
        Matcher url = URL.matcher(postgresUrl());
        if (!url.matches()) {
            return;
        }
        String user = url.group(1) == null || url.group(1).isEmpty() ? System.getProperty("user.name") : url.group(1);
        String password = url.group(2) != null ? url.group(2) : System.getenv().getOrDefault("PGPASSWORD", "");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + url.group(3) + "/" + url.group(4), user, password)) {
            for (String table : new String[] {"history", "entries", "namespaces"}) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM waterfall." + table + " WHERE namespace = ?")) {
                    delete.setString(1, namespace);
                    delete.executeUpdate();
                }
            }
        }
    }
}
