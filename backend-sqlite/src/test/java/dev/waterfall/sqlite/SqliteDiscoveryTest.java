package dev.waterfall.sqlite;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite provider is found by ServiceLoader, on the module path and on the class path. */
class SqliteDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void serviceLoader_findsTheSqliteProvider_forSqliteUrisAndDbPaths() {
        Path file = dir.resolve("found.db");
        try (Waterfall waterfall = Waterfall.builder("discovery").store("sqlite:" + file).environment(Map.of()).home(dir).open()) {
            assertThat(waterfall.storeSchemes()).contains("sqlite");
            waterfall.set("found", Value.of(true));
        }
        try (Waterfall byPath = Waterfall.builder("discovery").store(file.toString()).environment(Map.of()).home(dir).open()) {
            assertThat(byPath.store().location()).startsWith("sqlite:");
            assertThat(byPath.get("found")).isPresent();
        }
    }
}
