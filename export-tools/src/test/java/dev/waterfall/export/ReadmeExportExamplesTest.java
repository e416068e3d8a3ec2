package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java example of the export tools in docs/export.md, run: the code between
 * {@code // example:NAME} and {@code // example:end} below, which the page must show exactly
 * (de-indented; {@link DocExamples#assertShown}).
 */
class ReadmeExportExamplesTest {

    @TempDir
    Path home;

    @Test
    void example_exportAndMigrate() {
        Path backups = home.resolve("backups");
        Path database = home.resolve("config.db");
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(home).open()) {
            config.set("plant.default_name", Value.of("Rosemary"));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            // example:export-library
            ExportResult dump = Exporter.of(config.context())                   // the instance's clock and file locks
                    .export(config.store(), ExportRequest.to(backups, DumpFormat.CSV).withKeep(10));
            System.out.println(dump.dump() + ": " + dump.details().rows() + " rows, sha256 " + dump.details().sha256());

            try (ConfigStore target = config.openStore(StoreUri.parse("sqlite:" + database))) {
                CopyResult copy = Migration.migrate(config.store(), target, CopyOptions.DEFAULTS);
                System.out.println(copy.verification().orElseThrow().summary());    // verified: source and target hold ...
            }
            // example:end
        } finally {
            System.setOut(console);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).matches("(?s).*_config_export\\.csv: 1 rows, sha256 [0-9a-f]{64}\\n"
                + "verified: source and target hold the same 1 entry .*\\n");
        try (Waterfall copy = Waterfall.builder("pipeline").store("sqlite:" + database).environment(Map.of()).home(home).open()) {
            assertThat(copy.store().get(Key.of("plant.default_name")).orElseThrow().value()).isEqualTo(Value.of("Rosemary"));
        }
    }

    @Test
    void docs_showExactlyTheseExamples() {
        DocExamples.assertShown(ReadmeExportExamplesTest.class, "export-library");
    }
}
