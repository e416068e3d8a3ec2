package dev.waterfall.json;

import dev.waterfall.config.Key;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java example of docs/references.md, run as shown there. */
class ReferencesDocExamplesTest {

    @TempDir
    Path home;

    @Test
    void example_referencesAndProfiles() {
        Path file = home.resolve("pipeline/config.json");
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // example:references-and-profiles
            try (Waterfall config = Waterfall.builder("pipeline").store("json:" + file).profiles("dev").open()) {
                config.set("db.host", Value.of("localhost"));
                config.set(Key.of("db.host").inProfile("dev"), Value.of("dev-db"));     // %dev.db.host
                config.set("db.url", Value.of("jdbc:postgresql://${db.host}:${db.port:5432}/app"));
                Resolved url = config.get("db.url").orElseThrow();
                System.out.println(url.asText());                 // jdbc:postgresql://dev-db:5432/app
                System.out.println(url.raw().toJson());           // "jdbc:postgresql://${db.host}:${db.port:5432}/app"
                System.out.println(url.dependsOn());              // [db.host, db.port]: what a watch of db.url follows
            }
            // example:end
        } finally {
            System.setOut(console);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("jdbc:postgresql://dev-db:5432/app\n"
                + "\"jdbc:postgresql://${db.host}:${db.port:5432}/app\"\n"
                + "[db.host, db.port]\n");
    }

    @Test
    void docs_showExactlyTheseExamples() {
        DocExamples.assertShown(ReferencesDocExamplesTest.class, "references-and-profiles");
    }
}
