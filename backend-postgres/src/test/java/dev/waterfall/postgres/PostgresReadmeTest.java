package dev.waterfall.postgres;

import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PostgreSQL examples of docs/stores.md name the stores they say (opening connects to nothing). */
class PostgresReadmeTest {

    @TempDir
    Path home;

    @Test
    void readmePostgresExamples_nameTheServerDatabaseAndNamespace() {
        List<String> locations = new ArrayList<>();
        for (Map.Entry<String, String> export : DocExamples.exports("sql-examples").entrySet()) {
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

    @Test
    void readmeQuery_readsTheEntriesWithPlainSql() throws Exception {
        String namespace = TestDatabase.uniqueNamespace("readme");
        try {
            try (Waterfall waterfall = Waterfall.builder("pipeline").store(TestDatabase.uri(namespace)).environment(Map.of()).home(home).open()) {
                waterfall.set("plant.default_name", dev.waterfall.config.Value.of("Rosemary"));
            }
            // The query of docs/stores.md, in this test's own namespace instead of 'pipeline'.
            String query = DocExamples.code("sql-query").replace("'pipeline'", "?");
            try (java.sql.Connection connection = TestDatabase.connect();
                 java.sql.PreparedStatement statement = connection.prepareStatement(query.substring(0, query.indexOf(';')))) {
                statement.setString(1, namespace);
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString("key")).isEqualTo("plant.default_name");
                    assertThat(rows.getString("value")).isEqualTo("\"Rosemary\"");
                    assertThat(rows.next()).isFalse();
                }
            }
        } finally {
            TestDatabase.dropNamespace(namespace);
        }
    }
}
