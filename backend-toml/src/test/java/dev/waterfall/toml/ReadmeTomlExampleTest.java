package dev.waterfall.toml;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's TOML example, run: the file before, the code (which must be exactly the code
 * between {@code // readme:toml-example} and {@code // readme:end} below), and the file after,
 * all three taken from README.md between the {@code toml-example} markers.
 */
class ReadmeTomlExampleTest {

    private static final Path REPO = Path.of(System.getProperty("waterfall.repo.dir", ".."));

    @TempDir
    Path home;

    @Test
    void readmeExample_writesExactlyTheFileTheReadmeShows() throws IOException {
        List<String> blocks = exampleBlocks();
        Path file = home.resolve("plant.toml");
        Files.writeString(file, blocks.get(0), StandardCharsets.UTF_8);

        // readme:toml-example
        try (Waterfall config = Waterfall.builder("plant").store("toml:" + file).open()) {
            config.set("server.port", Value.of(9090));          // the value changes, its comment stays
            config.set("server.tls", Value.of(true));           // a new key joins its table
            config.set("logging.level", Value.of("info"));      // a new table goes at the end of the file
            config.unset("display.theme");                      // the line goes, with the comment right above it
        }
        // readme:end

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(blocks.get(2));
    }

    @Test
    void readme_showsExactlyTheTestedCode() throws IOException {
        String source = Files.readString(REPO.resolve("backend-toml/src/test/java/dev/waterfall/toml/ReadmeTomlExampleTest.java"),
                StandardCharsets.UTF_8);
        Matcher code = Pattern.compile("// readme:toml-example\\n(.*?)\\n\\s*// readme:end", Pattern.DOTALL).matcher(source);
        assertThat(code.find()).isTrue();

        assertThat(exampleBlocks().get(1)).isEqualTo(dedent(code.group(1)));
    }

    /** The fenced blocks between the README's toml-example markers: before, code, after. */
    private static List<String> exampleBlocks() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8);
        String example = readme.substring(readme.indexOf("<!-- toml-example:begin -->"), readme.indexOf("<!-- toml-example:end -->"));
        Matcher fence = Pattern.compile("```[a-z]+\\n(.*?)```", Pattern.DOTALL).matcher(example);
        List<String> blocks = new ArrayList<>();
        while (fence.find()) {
            blocks.add(fence.group(1));
        }
        assertThat(blocks).as("before, code, after").hasSize(3);
        return blocks;
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
