package dev.waterfall.sqlite;

import dev.waterfall.jdbc.SqlStore;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptors export only what users and backend authors need, open the migrations to
 * Flyway and provide the store. Runs on the module path (the default), where modules are named.
 */
class SqliteModuleTest {

    @Test
    void sqliteModule_exportsTheProviderOnly_andOpensItsMigrations() {
        ModuleDescriptor descriptor = SqliteStoreProvider.class.getModule().getDescriptor();

        assertThat(descriptor.name()).isEqualTo("dev.waterfall.sqlite");
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.waterfall.sqlite");
        assertThat(descriptor.opens()).singleElement().satisfies(opens -> {
            assertThat(opens.source()).isEqualTo("dev.waterfall.sqlite.migration");
            assertThat(opens.isQualified()).as("Flyway reads resources through the class loader: opened to all").isFalse();
        });
        assertThat(descriptor.provides()).singleElement().satisfies(provides ->
                assertThat(provides.providers()).containsExactly(SqliteStoreProvider.class.getName()));
    }

    @Test
    void coreModule_exportsOnlyItsBackendApi() {
        ModuleDescriptor descriptor = SqlStore.class.getModule().getDescriptor();

        assertThat(descriptor.name()).isEqualTo("dev.waterfall.jdbc");
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.waterfall.jdbc");
    }
}
