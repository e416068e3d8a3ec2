package dev.waterfall.config.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.SchemaViolationException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A schema generated from the bound types says what the binder accepts, and Waterfall enforces it
 * on writes: the generated text is a working settings schema, not documentation only.
 */
class SettingsSchemasTest {

    public enum Mode { FAST, SAFE }

    public record Server(@JsonPropertyDescription("The TCP port clients connect to") @Min(1) @Max(65535) int port, String host,
            Duration timeout, Mode mode, Optional<String> banner) { }

    public record Settings(Server server) { }

    @TempDir
    Path home;

    @Test
    void theGeneratedSchema_carriesDescriptionsBoundsAndEnums_andWaterfallEnforcesIt() throws Exception {
        String text = SettingsSchemas.generate(Settings.class);
        JsonNode schema = new ObjectMapper().readTree(text);

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        JsonNode server = schema.at("/properties/server/properties");
        assertThat(server.at("/port/description").asText()).isEqualTo("The TCP port clients connect to");
        assertThat(server.at("/port/minimum").asInt()).isEqualTo(1);
        assertThat(server.at("/port/maximum").asInt()).isEqualTo(65535);
        assertThat(server.at("/mode/enum").toString()).isEqualTo("[\"FAST\",\"SAFE\"]");
        assertThat(server.at("/timeout/type").asText()).isEqualTo("string");
        assertThat(server.at("/banner/type").toString()).contains("\"string\"");

        Path file = Files.writeString(home.resolve("settings.schema.json"), text);
        try (Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(home).identity(new ProcessIdentity("t", "h", 1))
                .schema(file).open()) {
            assertThatThrownBy(() -> config.set("server.port", Value.of(70000))).isInstanceOf(SchemaViolationException.class)
                    .hasMessageContaining("breaks \"maximum\"");
            assertThatThrownBy(() -> config.set("server.timeout", Value.of("soon"))).isInstanceOf(SchemaViolationException.class)
                    .hasMessageContaining("breaks \"pattern\"");
            assertThatThrownBy(() -> config.set("server.mode", Value.of("TURBO"))).isInstanceOf(SchemaViolationException.class)
                    .hasMessageContaining("breaks \"enum\"");
            config.set("server.port", Value.of(8080));
            config.set("server.timeout", Value.of("1h30m"));
            config.set("server.mode", Value.of("SAFE"));
            config.set("server.host", Value.of("example.com"));
            assertThat(Binder.of(config).bind("server", Server.class))
                    .isEqualTo(new Server(8080, "example.com", Duration.ofMinutes(90), Mode.SAFE, Optional.empty()));
            assertThat(config.schema().orElseThrow().describe(dev.waterfall.config.Key.of("server.port")).orElseThrow())
                    .startsWith("description: The TCP port clients connect to\ntype: integer");
        }
    }
}
