package dev.waterfall.config.binding;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.SchemaViolationException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of docs/java-typed.md, run: each block between {@code // doc:NAME} and
 * {@code // doc:end} is in the page exactly, and every Java block of the page is one of them.
 */
class JavaTypedDocsTest {

    // doc:records
    public record Server(String host, @Min(1) @Max(65535) int port, int maxRetries, Duration timeout, List<String> tags,
            Optional<String> banner) { }

    public record Settings(Server server, Map<String, Integer> limits) { }
    // doc:end

    @TempDir
    Path home;

    private Waterfall open(Map<String, String> env) throws IOException {
        Path defaults = home.resolve("defaults.json");
        Files.writeString(defaults, """
                {
                  "server": {"host": "localhost", "port": 8080, "max-retries": 3, "timeout": "30s", "tags": ["web"]},
                  "limits": {"rows": 1000}
                }
                """);
        return Waterfall.builder("pipeline").environment(env).home(home).identity(new ProcessIdentity("tester", "host", 1))
                .defaultsFile(defaults).open();
    }

    @Test
    void example_bind() throws IOException {
        try (Waterfall config = open(Map.of("PIPELINE_SERVER_PORT", "9090"))) {
            config.set("server.timeout", Value.of("1m30s"));
            // doc:bind
            Binder binder = Binder.of(config);                     // keep one per Waterfall
            Server server = binder.bind("server", Server.class);   // PIPELINE_SERVER_PORT=9090 wins over the defaults' 8080
            Settings all = binder.bind("", Settings.class);        // "" binds the whole configuration
            // doc:end
            assertThat(server).isEqualTo(new Server("localhost", 9090, 3, Duration.ofSeconds(90), List.of("web"), Optional.empty()));
            assertThat(all.limits()).containsExactly(Map.entry("rows", 1000));
        }
    }

    @Test
    void example_errors() throws IOException {
        try (Waterfall config = open(Map.of("PIPELINE_SERVER_PORT", "80a"))) {
            config.set("server.timeout", Value.of("soon"));
            List<String> printed = new ArrayList<>();
            // doc:errors
            try {
                Binder.of(config).bind("server", Server.class);
            } catch (BindingException e) {
                for (BindingProblem problem : e.problems()) {
                    printed.add(problem.toString());
                }
            }
            // doc:end
            assertThat(printed).containsExactly(
                    "server.port: expected an integer from 1 to 65535, got \"80a\" from PIPELINE_SERVER_PORT",
                    "server.timeout: expected a duration such as 30s, 1h30m, 250ms or PT30S, got \"soon\" from store json:"
                            + home.resolve(".config/pipeline/config.json") + ":3");
        }
    }

    @Test
    void example_generic() throws IOException {
        try (Waterfall config = open(Map.of())) {
            // doc:generic
            Map<String, Integer> limits = Binder.of(config).bind("limits", new TypeReference<Map<String, Integer>>() { });
            // doc:end
            assertThat(limits).containsExactly(Map.entry("rows", 1000));
            assertThatThrownBy(() -> Binder.of(config).bind("nothing", Server.class)).isInstanceOf(BindingException.class);
        }
    }

    @Test
    void example_schema() throws IOException {
        Path schemaFile = home.resolve("settings.schema.json");
        Waterfall.Builder builder = Waterfall.builder("pipeline").environment(Map.of()).home(home).identity(new ProcessIdentity("t", "h", 1));
        // doc:schema
        Files.writeString(schemaFile, SettingsSchemas.generate(Settings.class));   // or write the schema by hand
        try (Waterfall config = builder.schema(schemaFile).open()) {
            config.set("server.port", Value.of(70000));
        } catch (SchemaViolationException e) {
            for (SchemaViolation violation : e.violations()) {
                printed.add(violation.toString());
            }
        }
        // doc:end
        assertThat(printed).containsExactly("server.port: breaks \"maximum\" (must have a maximum value of 65535) at " + schemaFile
                + "#/properties/server/properties/port/maximum");
    }

    private final List<String> printed = new ArrayList<>();

    @Test
    void thePage_showsExactlyTheseExamples() throws IOException {
        Path repo = Path.of(System.getProperty("waterfall.repo.dir", ".."));
        String source = Files.readString(repo.resolve("config-binding/src/test/java/dev/waterfall/config/binding/JavaTypedDocsTest.java"),
                StandardCharsets.UTF_8);
        String page = Files.readString(repo.resolve("docs/java-typed.md"), StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("// doc:([a-z-]+)\\n(.*?)\\n\\s*// doc:end", Pattern.DOTALL).matcher(source);
        List<String> examples = new ArrayList<>();
        while (matcher.find()) {
            String example = dedent(matcher.group(2));
            assertThat(page).as("docs/java-typed.md shows example " + matcher.group(1) + " exactly as tested").contains(example);
            examples.add(example);
        }
        assertThat(examples).hasSize(5);
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(page);
        while (blocks.find()) {
            assertThat(examples).as("every Java block of docs/java-typed.md is a tested example").contains(blocks.group(1));
        }
    }

    static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        return out.toString();
    }
}
