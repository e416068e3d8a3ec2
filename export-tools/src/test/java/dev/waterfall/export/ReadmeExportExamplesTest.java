package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java example of the export tools, run: the code between {@code // readme:NAME} and
 * {@code // readme:end} below, which the README must show exactly (de-indented).
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
            // readme:export-library
            ExportResult dump = Exporter.of(config.context())                   // the instance's clock and file locks
                    .export(config.store(), ExportRequest.to(backups, DumpFormat.CSV).withKeep(10));
            System.out.println(dump.dump() + ": " + dump.details().rows() + " rows, sha256 " + dump.details().sha256());

            try (ConfigStore target = config.openStore(StoreUri.parse("sqlite:" + database))) {
                CopyResult copy = Migration.migrate(config.store(), target, CopyOptions.DEFAULTS);
                System.out.println(copy.verification().orElseThrow().summary());    // verified: source and target hold ...
            }
            // readme:end
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
    void readme_showsExactlyTheseExamples() throws IOException {
        String source = Files.readString(Path.of(System.getProperty("waterfall.repo.dir", ".."))
                .resolve("export-tools/src/test/java/dev/waterfall/export/ReadmeExportExamplesTest.java"), StandardCharsets.UTF_8);
        String readme = ReadmeBlocks.readme();
        Matcher matcher = Pattern.compile("// readme:([a-z-]+)\\n(.*?)\\n\\s*// readme:end", Pattern.DOTALL).matcher(source);
        List<String> names = new ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
            assertThat(readme).as("README.md shows example " + matcher.group(1) + " exactly as tested").contains(dedent(matcher.group(2)));
        }
        assertThat(names).containsExactly("export-library");
    }

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank()).mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        return out.toString();
    }
}
