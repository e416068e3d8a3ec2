package dev.waterfall.sqlite;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ReadmeExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's SQLite examples open the stores they say. */
class SqliteReadmeTest {

    @TempDir
    Path home;

    @Test
    void readmeSqliteExamples_openTheStoresTheyName() {
        int checked = 0;
        for (Map.Entry<String, String> export : ReadmeExamples.exports("sql-examples").entrySet()) {
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
}
