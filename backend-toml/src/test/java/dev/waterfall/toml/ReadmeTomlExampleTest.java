package dev.waterfall.toml;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TOML example of docs/stores.md, run: the file before, the code (which must be exactly the
 * code between {@code // example:toml-example} and {@code // example:end} below), and the file
 * after, all three taken from between the page's {@code toml-example} markers.
 */
class ReadmeTomlExampleTest {

    @TempDir
    Path home;

    @Test
    void docsExample_writesExactlyTheFileThePageShows() throws IOException {
        List<String> blocks = exampleBlocks();
        Path file = home.resolve("plant.toml");
        Files.writeString(file, blocks.get(0), StandardCharsets.UTF_8);

        // example:toml-example
        try (Waterfall config = Waterfall.builder("plant").store("toml:" + file).open()) {
            config.set("server.port", Value.of(9090));          // the value changes, its comment stays
            config.set("server.tls", Value.of(true));           // a new key joins its table
            config.set("logging.level", Value.of("info"));      // a new table goes at the end of the file
            config.unset("display.theme");                      // the line goes, with the comment right above it
        }
        // example:end

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(blocks.get(2));
    }

    @Test
    void docs_showExactlyTheTestedCode() throws IOException {
        DocExamples.assertShown(ReadmeTomlExampleTest.class, "toml-example");
        String source = Files.readString(DocExamples.sourceOf(ReadmeTomlExampleTest.class), StandardCharsets.UTF_8);
        assertThat(exampleBlocks().get(1)).isEqualTo(DocExamples.snippets(source).get("toml-example"));
    }

    /** The fenced blocks between the toml-example markers of docs/stores.md: before, code, after. */
    private static List<String> exampleBlocks() {
        List<String> blocks = DocExamples.codes("toml-example");
        assertThat(blocks).as("before, code, after").hasSize(3);
        return blocks;
    }
}
