package dev.waterfall.json;

import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Waterfall#bind} and {@link Waterfall#live} without config-binding, which this module's tests
 * do not have: a one-line error naming the artifact to add, not a missing-class error.
 */
class WaterfallBindWithoutBindingTest {

    record Server(String host, int port) {
    }

    @TempDir
    Path home;

    private Waterfall open() {
        return Waterfall.builder("pipeline").environment(Map.of()).home(home).operatingSystem("Linux")
                .identity(new ProcessIdentity("tester", "testhost", 1)).open();
    }

    @Test
    void configBindingIsNotOnThisModulesPath() {
        assertThat(getClass().getClassLoader().getResource("META-INF/services/dev.waterfall.config.spi.BindingProvider")).isNull();
        assertThat(ModuleLayer.boot().findModule("dev.waterfall.config.binding")).isEmpty();
    }

    @Test
    void bind_withoutConfigBinding_saysToAddIt() {
        try (Waterfall config = open()) {
            config.set(Key.of("server.port"), Value.of(8080));

            assertThatThrownBy(() -> config.bind("server", Server.class))
                    .isExactlyInstanceOf(WaterfallException.class)
                    .hasMessageContaining("dev.waterfall:config-binding")
                    .hasMessageNotContaining("\n");
            assertThat(config.get("server.port").orElseThrow().asLong()).isEqualTo(8080);  // reading still works
        }
    }

    @Test
    void live_withoutConfigBinding_saysToAddIt() {
        try (Waterfall config = open()) {
            assertThatThrownBy(() -> config.live("server", Server.class))
                    .isExactlyInstanceOf(WaterfallException.class)
                    .hasMessageContaining("dev.waterfall:config-binding");
        }
    }
}
