package dev.waterfall.ndjson;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.ConfigStoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NDJSON provider is found with ServiceLoader on the module path ({@code provides}) and on the
 * class path ({@code META-INF/services}). The build runs this class both ways: surefire's default
 * module path, and {@code -Dsurefire.useModulePath=false} in scripts/test-all.
 */
class ProviderDiscoveryTest {

    @TempDir
    Path home;

    @Test
    void waterfall_discoversTheNdjsonProvider_bySchemeAndByExtension() throws IOException {
        for (String uri : new String[] {"ndjson:" + home.resolve("by-scheme.ndjson"), home.resolve("by-extension.jsonl").toString()}) {
            try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home).store(uri).open()) {
                assertThat(waterfall.storeSchemes()).contains("ndjson");
                assertThat(waterfall.store()).isInstanceOf(NdjsonStore.class);
                waterfall.set("found", Value.of(true));
                assertThat(waterfall.get("found")).isPresent();
            }
        }
        assertThat(Files.readString(home.resolve("by-extension.jsonl"))).startsWith("{\"rev\":1,");
    }

    @Test
    void aProviderRegisteredByHand_worksWithoutDiscovery() {
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home)
                .store("ndjson:" + home.resolve("by-hand.ndjson")).discoverProviders(false).provider(new NdjsonStoreProvider()).open()) {
            assertThat(waterfall.storeSchemes()).containsExactly("ndjson");
        }
    }

    @Test
    void theModuleDescriptorProvidesIt_andTheServicesFileListsIt() throws IOException {
        Module module = NdjsonStoreProvider.class.getModule();
        if (module.isNamed()) {
            ModuleDescriptor descriptor = module.getDescriptor();
            assertThat(descriptor.name()).isEqualTo("dev.waterfall.ndjson");
            assertThat(descriptor.provides()).anySatisfy(provides -> {
                assertThat(provides.service()).isEqualTo(ConfigStoreProvider.class.getName());
                assertThat(provides.providers()).containsExactly(NdjsonStoreProvider.class.getName());
            });
            assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                    .containsExactly("dev.waterfall.ndjson");
        }
        try (InputStream services = NdjsonStoreProvider.class.getResourceAsStream(
                "/META-INF/services/" + ConfigStoreProvider.class.getName())) {
            assertThat(services).as("META-INF/services for the class path").isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(NdjsonStoreProvider.class.getName());
        }
    }
}
