package dev.waterfall.postgres;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The module exports the provider only, opens its migrations to Flyway and provides the store (module path). */
class PostgresModuleTest {

    @Test
    void postgresModule_exportsTheProviderOnly_andOpensItsMigrations() {
        ModuleDescriptor descriptor = PostgresStoreProvider.class.getModule().getDescriptor();

        assertThat(descriptor.name()).isEqualTo("dev.waterfall.postgres");
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("dev.waterfall.postgres");
        assertThat(descriptor.opens()).singleElement().satisfies(opens -> {
            assertThat(opens.source()).isEqualTo("dev.waterfall.postgres.migration");
            assertThat(opens.isQualified()).isFalse();
        });
        assertThat(descriptor.provides()).singleElement().satisfies(provides ->
                assertThat(provides.providers()).containsExactly(PostgresStoreProvider.class.getName()));
    }
}
