package dev.waterfall.export;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what the export tools export: their API package, never the CSV parser, the cron parser or
 * the row writer. On the class path the module is unnamed; then its descriptor must still be in the jar.
 */
class ExportModuleTest {

    @Test
    void exportModule_exportsOnlyItsApi() {
        Module module = Exporter.class.getModule();
        if (!module.isNamed()) {
            assertThat(Exporter.class.getClassLoader().getResource("module-info.class")).isNotNull();
            return;
        }
        ModuleDescriptor descriptor = module.getDescriptor();
        Set<String> exports = descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exports).containsExactly("dev.waterfall.export");
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.packages()).contains("dev.waterfall.export.internal");
    }
}
