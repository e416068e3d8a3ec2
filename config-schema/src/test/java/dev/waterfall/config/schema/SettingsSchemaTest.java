package dev.waterfall.config.schema;

import dev.waterfall.config.Change;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.SchemaViolationException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings schema through {@link Waterfall}: writes it rejects are refused for every store kind,
 * naming the rule and where it is in the schema, while a bare store is unaffected; the diagnosis
 * checks every layer, the environment included, and finds keys the schema does not know.
 */
class SettingsSchemaTest {

    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "server": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "host": {"type": "string", "description": "The name clients connect to", "default": "localhost"},
                    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "description": "The TCP port"},
                    "mode": {"enum": ["fast", "safe"]}
                  },
                  "required": ["host", "port"]
                },
                "limits": {"type": "object", "additionalProperties": {"type": "integer"}}
              }
            }
            """;

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Path schemaFile() throws IOException {
        Path file = home.resolve("settings.schema.json");
        if (!Files.exists(file)) {
            Files.writeString(file, SCHEMA);
        }
        return file;
    }

    private Waterfall open(String store, Map<String, String> env, Consumer<Waterfall.Builder> configure) {
        Waterfall.Builder builder = Waterfall.builder("pipeline").environment(env).home(home).identity(new ProcessIdentity("tester", "host", 1))
                .store(store);
        configure.accept(builder);
        Waterfall config = builder.open();
        opened.add(config);
        return config;
    }

    private String uri(String kind) {
        return switch (kind) {
            case "json" -> "json:" + home.resolve("config.json");
            case "toml" -> "toml:" + home.resolve("config.toml");
            case "ndjson" -> "ndjson:" + home.resolve("config.ndjson");
            case "sqlite" -> "sqlite:" + home.resolve("config.db");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "toml", "ndjson", "sqlite"})
    void aWriteTheSchemaRejects_isRefused_namingRuleAndSchemaLocation_andNothingIsWritten(String kind) throws IOException {
        Path schema = schemaFile();
        Waterfall config = open(uri(kind), Map.of(), builder -> builder.schema(schema));

        assertThatThrownBy(() -> config.set("server.port", Value.of(70000)))
                .isInstanceOfSatisfying(SchemaViolationException.class, e -> {
                    assertThat(e.violations()).containsExactly(new SchemaViolation("server.port", "maximum",
                            "must have a maximum value of 65535", schema + "#/properties/server/properties/port/maximum"));
                    assertThat(e.getMessage()).startsWith("refusing to set server.port to 70000: the settings schema rejects it; "
                            + "server.port: breaks \"maximum\" (must have a maximum value of 65535) at " + schema
                            + "#/properties/server/properties/port/maximum");
                });
        assertThatThrownBy(() -> config.apply(Change.set(Key.of("server.mode"), Value.of("turbo"))))
                .isInstanceOfSatisfying(SchemaViolationException.class, e ->
                        assertThat(e.violations()).singleElement().extracting(SchemaViolation::rule).isEqualTo("enum"));
        assertThatThrownBy(() -> config.apply(Change.set(Key.of("server.prot"), Value.of(80)).ifRevision(Change.ABSENT)))
                .isInstanceOfSatisfying(SchemaViolationException.class, e ->
                        assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.key()).isEqualTo("server.prot");
                            assertThat(v.rule()).isEqualTo("additionalProperties");
                        }));
        assertThat(config.store().snapshot().entries()).isEmpty();

        config.set("server.port", Value.of(8080));
        config.apply(Change.set(Key.of("limits.rows"), Value.of(10)).ifRevision(Change.ABSENT));
        assertThat(config.get("server.port").orElseThrow().asLong()).isEqualTo(8080);

        config.store().set(Key.of("server.port"), Value.of("not a port")); // a bare store knows no schema
        assertThat(config.get("server.port").orElseThrow().asText()).isEqualTo("not a port");
    }

    @Test
    void theSchemaVariable_namesTheSchemaFile_andIsNoKey() throws IOException {
        Path schema = schemaFile();
        Waterfall config = open(uri("json"), Map.of("PIPELINE_SCHEMA", schema.toString()), builder -> { });

        assertThatThrownBy(() -> config.set("server.port", Value.of("eighty"))).isInstanceOf(SchemaViolationException.class)
                .hasMessageContaining("breaks \"type\"");
        assertThat(config.reservedVariables()).contains("PIPELINE_SCHEMA");
        assertThat(config.schema()).get().extracting(s -> s.describe(Key.of("server.host")).orElseThrow())
                .isEqualTo("description: The name clients connect to\ntype: string\ndefault: \"localhost\"");
        assertThat(config.schema().orElseThrow().describe(Key.of("server.mode"))).contains("allowed: [\"fast\",\"safe\"]");
    }

    @Test
    void theDiagnosis_findsAWrongValueInEveryLayer_theEnvironmentIncluded_andUnknownKeys() throws IOException {
        Path schema = schemaFile();
        Path system = home.resolve("system.toml");
        Files.writeString(system, "[server]\nmode = \"turbo\"\n");
        Path defaults = home.resolve("defaults.json");
        Files.writeString(defaults, "{\"server\": {\"host\": 5}}\n");
        Waterfall config = open(uri("json"), Map.of("PIPELINE_SERVER_PORT", "0", "PIPELINE_LIMITS_ROWS", "12"),
                builder -> builder.schema(schema).systemFile(system).defaultsFile(defaults));
        config.store().set(Key.of("server.hots"), Value.of("typo.example.com"));
        config.store().set(Key.of("limits.rows"), Value.of("many"));

        List<String> findings = config.diagnose().stream().map(Diagnostic::toString).toList();

        String store = "store json:" + home.resolve("config.json");
        assertThat(findings).contains(
                "error: PIPELINE_SERVER_PORT: server.port: breaks \"minimum\" (must have a minimum value of 1) at " + schema
                        + "#/properties/server/properties/port/minimum",
                "error: " + store + ": limits.rows: breaks \"type\" (string found, integer expected) at " + schema
                        + "#/properties/limits/additionalProperties/type",
                "warning: " + store + ": server.hots is not in the settings schema " + schema + "; is it a typo?",
                "error: system " + system + ": server.mode: breaks \"enum\" (does not have a value in the enumeration [\"fast\", \"safe\"]) at "
                        + schema + "#/properties/server/properties/mode/enum",
                "error: defaults " + defaults + ": server.host: breaks \"type\" (integer found, string expected) at " + schema
                        + "#/properties/server/properties/host/type");
        assertThat(findings).noneMatch(f -> f.startsWith("error: PIPELINE_LIMITS_ROWS") || f.startsWith("warning: PIPELINE_SERVER_PORT"));
    }
}
