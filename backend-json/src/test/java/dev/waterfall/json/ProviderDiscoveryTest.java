package dev.waterfall.json;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.ConfigStoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON provider is found with ServiceLoader on the module path ({@code provides}) and on the
 * class path ({@code META-INF/services}). The build runs this class both ways: surefire's default
 * module path, and {@code -Dsurefire.useModulePath=false} in scripts/test-all.
 */
class ProviderDiscoveryTest {

    @TempDir
    Path home;

    @Test
    void waterfall_discoversTheJsonProvider() {
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home).open()) {
            assertThat(waterfall.storeSchemes()).contains("json");
            assertThat(waterfall.store()).isInstanceOf(dev.waterfall.file.FileStore.class);
            waterfall.set("found", Value.of(true));
            assertThat(waterfall.get("found")).isPresent();
        }
    }

    @Test
    void aProviderRegisteredByHand_worksWithoutDiscovery() {
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home)
                .discoverProviders(false).provider(new JsonStoreProvider()).open()) {
            assertThat(waterfall.storeSchemes()).containsExactly("json");
        }
    }

    @Test
    void theModuleDescriptorProvidesIt_andTheServicesFileListsIt() throws IOException {
        Module module = JsonStoreProvider.class.getModule();
        if (module.isNamed()) {
            ModuleDescriptor descriptor = module.getDescriptor();
            assertThat(descriptor.name()).isEqualTo("dev.waterfall.json");
            assertThat(descriptor.provides()).anySatisfy(provides -> {
                assertThat(provides.service()).isEqualTo(ConfigStoreProvider.class.getName());
                assertThat(provides.providers()).containsExactly(JsonStoreProvider.class.getName());
            });
            assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                    .containsExactly("dev.waterfall.json");
        }
        try (InputStream services = JsonStoreProvider.class.getResourceAsStream(
                "/META-INF/services/" + ConfigStoreProvider.class.getName())) {
            assertThat(services).as("META-INF/services for the class path").isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(JsonStoreProvider.class.getName());
        }
    }
}
