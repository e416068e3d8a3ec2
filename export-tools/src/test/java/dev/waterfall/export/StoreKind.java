package dev.waterfall.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kinds of store the export tests run on, each a real one: a JSON file, a TOML file, an NDJSON log, a SQLite file, and a
 * namespace of its own on the test PostgreSQL server ({@code WATERFALL_TEST_PG_URL}, default
 * {@code postgresql://postgres@127.0.0.1:5432/test}; {@code scripts/ensure-postgres} provides it).
 */
enum StoreKind {
    JSON, TOML, NDJSON, SQLITE, POSTGRES;

    /** The test server, without a namespace. */
    static String postgresUrl() {
        String configured = System.getenv("WATERFALL_TEST_PG_URL");
        return configured == null || configured.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : configured.strip();
    }

    /** A new, empty store of this kind named {@code name}; PostgreSQL namespaces are unique per call. */
    String newUri(Path dir, String name) {
        return switch (this) {
            case JSON -> "json:" + dir.resolve(name).resolve("config.json");
            case TOML -> "toml:" + dir.resolve(name).resolve("config.toml");
            case NDJSON -> "ndjson:" + dir.resolve(name).resolve("config.ndjson");
            case SQLITE -> "sqlite:" + dir.resolve(name + ".db");
            case POSTGRES -> postgresUrl() + (postgresUrl().contains("?") ? "&" : "?") + "namespace=export-test-" + name + "-" + UUID.randomUUID();
        };
    }

    /**
     * The values a store of this kind holds: TOML has no null and 64-bit integers only, so a value
     * holding either (at any depth) is left out for it.
     */
    java.util.Map<String, dev.waterfall.config.Value> holdable(java.util.Map<String, dev.waterfall.config.Value> values) {
        java.util.Map<String, dev.waterfall.config.Value> kept = new java.util.LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (this != TOML || tomlHolds(value)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    private static boolean tomlHolds(dev.waterfall.config.Value value) {
        if (value instanceof dev.waterfall.config.NullValue) {
            return false;
        }
        if (value instanceof dev.waterfall.config.NumberValue number && number.isIntegral()) {
            return new java.math.BigInteger(number.literal()).bitLength() < 64;
        }
        if (value instanceof dev.waterfall.config.ArrayValue array) {
            return array.items().stream().allMatch(StoreKind::tomlHolds);
        }
        if (value instanceof dev.waterfall.config.TableValue table) {
            return table.members().values().stream().allMatch(StoreKind::tomlHolds);
        }
        return true;
    }

    /** Removes the rows of the PostgreSQL namespaces these URIs name (only ever ones a test made), with psql. */
    static void dropNamespaces(List<String> uris) throws IOException, InterruptedException {
        StringBuilder sql = new StringBuilder();
        for (String uri : uris) {
            int at = uri.indexOf("namespace=export-test-");
            if (uri.startsWith("postgresql:") && at >= 0) {
                String namespace = uri.substring(at + "namespace=".length());
                assertThat(namespace).matches("export-test-[A-Za-z0-9-]+");
                for (String table : List.of("history", "entries", "namespaces")) {
                    sql.append("DELETE FROM waterfall.").append(table).append(" WHERE namespace = '").append(namespace).append("';");
                }
            }
        }
        if (sql.length() == 0) {
            return;
        }
        Process psql = new ProcessBuilder("psql", postgresUrl(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql.toString())
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as("psql: " + output).isZero();
    }
}
