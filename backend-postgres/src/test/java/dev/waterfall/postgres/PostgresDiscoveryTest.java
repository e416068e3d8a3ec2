package dev.waterfall.postgres;

import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL provider is found by ServiceLoader, on the module path and on the class path. */
class PostgresDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void serviceLoader_findsThePostgresProvider_forBothSchemes() throws SQLException {
        String namespace = TestDatabase.uniqueNamespace("discovery");
        try (Waterfall waterfall = Waterfall.builder("discovery").store(TestDatabase.uri(namespace)).environment(Map.of()).home(dir).open()) {
            assertThat(waterfall.storeSchemes()).contains("postgresql", "postgres");
            assertThat(waterfall.store().snapshot().size()).isZero();
        } finally {
            TestDatabase.dropNamespace(namespace);
        }
    }
}
