package dev.waterfall.sqlite;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite examples of docs/stores.md open the stores they say. */
class SqliteReadmeTest {

    @TempDir
    Path home;

    @Test
    void readmeSqliteExamples_openTheStoresTheyName() {
        int checked = 0;
        for (Map.Entry<String, String> export : DocExamples.exports("sql-examples").entrySet()) {
            String uri = export.getValue();
            if (!uri.startsWith("sqlite:")) {
                continue;
            }
            String variable = export.getKey().substring(export.getKey().indexOf(':') + 1);
            try (Waterfall waterfall = Waterfall.builder("pipeline").environment(Map.of(variable, uri)).home(home).open()) {
                assertThat(waterfall.store().location()).startsWith("sqlite:/");
                if (uri.startsWith("sqlite:~/")) {
                    waterfall.set("plant.default_name", Value.of("Rosemary"));
                    assertThat(waterfall.store().location())
                            .isEqualTo("sqlite:" + home.resolve(".local/share/pipeline/config.db") + "?namespace=pipeline");
                    assertThat(home.resolve(".local/share/pipeline/config.db")).exists();
                } else {
                    assertThat(waterfall.store().location()).endsWith("?namespace=nightly%20jobs");
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void readmeQuery_readsTheEntriesWithPlainSql() throws Exception {
        Path file = home.resolve("query.db");
        try (Waterfall waterfall = Waterfall.builder("pipeline").store("sqlite:" + file).environment(Map.of()).home(home).open()) {
            waterfall.set("plant.default_name", Value.of("Rosemary"));
            waterfall.set("plant.count", Value.of(3));
        }
        String query = DocExamples.code("sql-query").replace("waterfall.entries", "entries"); // as its comment says
        try (java.sql.Connection connection = SqliteDatabaseFixture.connect("sqlite:" + file);
             java.sql.ResultSet rows = connection.createStatement().executeQuery(query)) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            while (rows.next()) {
                seen.add(rows.getString("key") + "=" + rows.getString("value") + " by " + rows.getString("updated_by_user"));
            }
            assertThat(seen).hasSize(2).first().asString().startsWith("plant.count=3 by ");
            assertThat(seen.get(1)).startsWith("plant.default_name=\"Rosemary\" by ");
        }
    }
}
