package dev.waterfall.toml;

import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A profile's keys ({@code %dev.server.port}, docs/references.md) in a TOML store: TOML can only
 * write the table {@code %dev} quoted, so a quoted {@code "%dev"} first segment is the profile's
 * (Key's javadoc), whether Waterfall wrote it or a person did.
 */
class TomlProfileKeysTest {

    @TempDir
    Path home;

    @Test
    void aProfilesKeys_areWrittenAsAQuotedTable_andReadBackAsTheProfiles() throws Exception {
        Path file = home.resolve("config.toml");
        Files.writeString(file, "[server]\nport = 8080\n\n[\"%dev\".server]\nhost = \"dev-db\"\n");
        try (Waterfall config = Waterfall.builder("plant").environment(Map.of()).home(home).store("toml:" + file).profiles("dev").open()) {
            config.set(Key.of("server.port").inProfile("dev"), Value.of(8081));
            assertThat(config.get("server.port").orElseThrow().value()).isEqualTo(Value.of(8081));
            assertThat(config.get("server.host").orElseThrow().value()).as("the hand-written table").isEqualTo(Value.of("dev-db"));
            assertThat(config.store().get(Key.of("%dev.server.port"))).isPresent();
        }
        assertThat(Files.readString(file)).contains("\"%dev\"").doesNotContain("[%dev");
        try (Waterfall base = Waterfall.builder("plant").environment(Map.of()).home(home).store("toml:" + file).open()) {
            assertThat(base.get("server.port").orElseThrow().value()).as("no profile active").isEqualTo(Value.of(8080));
            assertThat(base.value(Key.of("server.port"))).contains(Value.of(8080));
        }
    }
}
