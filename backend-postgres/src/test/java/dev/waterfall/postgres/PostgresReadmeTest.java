package dev.waterfall.postgres;

import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ReadmeExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's PostgreSQL examples name the stores they say (opening connects to nothing). */
class PostgresReadmeTest {

    @TempDir
    Path home;

    @Test
    void readmePostgresExamples_nameTheServerDatabaseAndNamespace() {
        List<String> locations = new ArrayList<>();
        for (Map.Entry<String, String> export : ReadmeExamples.exports("sql-examples").entrySet()) {
            if (!export.getValue().startsWith("postgresql:")) {
                continue;
            }
            String variable = export.getKey().substring(export.getKey().indexOf(':') + 1);
            try (Waterfall waterfall = Waterfall.builder("pipeline").environment(Map.of(variable, export.getValue())).home(home).open()) {
                locations.add(waterfall.store().location());
            }
        }
        assertThat(locations).containsExactly(
                "postgresql://pipeline@db.example.com:5432/settings?namespace=pipeline",
                "postgresql://alice@127.0.0.1:5432/settings?namespace=alice");
    }
}
