package dev.waterfall.config;

import dev.waterfall.config.spi.ConfigStoreProvider;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what the API module exports: the API and the SPI, never the internals. On the class path the
 * module is unnamed, and the test checks that the service-loading contract holds there instead.
 */
class ModuleDescriptorTest {

    @Test
    void apiModule_exportsOnlyTheApiAndTheSpi_andUsesTheProviderService() {
        Module module = Waterfall.class.getModule();
        if (!module.isNamed()) {
            assertThat(Waterfall.class.getClassLoader().getResource("module-info.class")).isNotNull();
            return;
        }
        ModuleDescriptor descriptor = module.getDescriptor();
        Set<String> exports = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exports).containsExactlyInAnyOrder("dev.waterfall.config", "dev.waterfall.config.spi");
        // the helpers the engines share go to the engines alone (docs/architecture.md)
        assertThat(descriptor.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
                .allSatisfy(e -> assertThat(e.targets()).isNotEmpty().allMatch(target -> target.startsWith("dev.waterfall.")));
        assertThat(descriptor.uses()).containsExactlyInAnyOrder(ConfigStoreProvider.class.getName(),
                dev.waterfall.config.spi.SchemaProvider.class.getName(), dev.waterfall.config.spi.BindingProvider.class.getName());
        assertThat(descriptor.opens()).isEmpty();
    }
}
