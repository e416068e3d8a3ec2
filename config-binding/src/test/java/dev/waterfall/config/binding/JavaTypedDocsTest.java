package dev.waterfall.config.binding;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.SchemaViolationException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of docs/java-typed.md, run: each block between {@code // doc:NAME} and
 * {@code // example:end} is in the page exactly, and every Java block of the page is one of them.
 */
class JavaTypedDocsTest {

    // example:records
    public record Server(String host, @Min(1) @Max(65535) int port, int maxRetries, Duration timeout, List<String> tags,
            Optional<String> banner) { }

    public record Settings(Server server, Map<String, Integer> limits) { }
    // example:end

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
            // example:bind
            Binder binder = Binder.of(config);                     // keep one per Waterfall
            Server server = binder.bind("server", Server.class);   // PIPELINE_SERVER_PORT=9090 wins over the defaults' 8080
            Settings all = binder.bind("", Settings.class);        // "" binds the whole configuration
            // example:end
            assertThat(server).isEqualTo(new Server("localhost", 9090, 3, Duration.ofSeconds(90), List.of("web"), Optional.empty()));
            assertThat(all.limits()).containsExactly(Map.entry("rows", 1000));
        }
    }

    @Test
    void example_errors() throws IOException {
        try (Waterfall config = open(Map.of("PIPELINE_SERVER_PORT", "80a"))) {
            config.set("server.timeout", Value.of("soon"));
            List<String> printed = new ArrayList<>();
            // example:errors
            try {
                Binder.of(config).bind("server", Server.class);
            } catch (BindingException e) {
                for (BindingProblem problem : e.problems()) {
                    printed.add(problem.toString());
                }
            }
            // example:end
            assertThat(printed).containsExactly(
                    "server.port: expected an integer from 1 to 65535, got \"80a\" from PIPELINE_SERVER_PORT",
                    "server.timeout: expected a duration such as 30s, 1h30m, 250ms or PT30S, got \"soon\" from store json:"
                            + home.resolve(".config/pipeline/config.json") + ":3");
        }
    }

    @Test
    void example_generic() throws IOException {
        try (Waterfall config = open(Map.of())) {
            // example:generic
            Map<String, Integer> limits = Binder.of(config).bind("limits", new TypeReference<Map<String, Integer>>() { });
            // example:end
            assertThat(limits).containsExactly(Map.entry("rows", 1000));
            assertThatThrownBy(() -> Binder.of(config).bind("nothing", Server.class)).isInstanceOf(BindingException.class);
        }
    }

    @Test
    void example_schema() throws IOException {
        Path schemaFile = home.resolve("settings.schema.json");
        Waterfall.Builder builder = Waterfall.builder("pipeline").environment(Map.of()).home(home).identity(new ProcessIdentity("t", "h", 1));
        // example:schema
        Files.writeString(schemaFile, SettingsSchemas.generate(Settings.class));   // or write the schema by hand
        try (Waterfall config = builder.schema(schemaFile).open()) {
            config.set("server.port", Value.of(70000));
        } catch (SchemaViolationException e) {
            for (SchemaViolation violation : e.violations()) {
                printed.add(violation.toString());
            }
        }
        // example:end
        assertThat(printed).containsExactly("server.port: breaks \"maximum\" (must have a maximum value of 65535) at " + schemaFile
                + "#/properties/server/properties/port/maximum");
    }

    private final List<String> printed = new ArrayList<>();

    @Test
    void thePage_showsExactlyTheseExamples() {
        DocExamples.assertShown(JavaTypedDocsTest.class, "records", "bind", "errors", "generic", "schema");
    }

    @Test
    void theDependencySnippet_namesThisModule() throws IOException {
        String snippet = DocExamples.code("java-typed-dependency");
        assertThat(snippet).contains("<groupId>dev.waterfall</groupId>").contains("<artifactId>config-binding</artifactId>");
        String pom = Files.readString(DocExamples.repository().resolve("config-binding/pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<artifactId>config-binding</artifactId>");
    }
}
