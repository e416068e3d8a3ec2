package dev.waterfall.toml;

import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.ParsedDocument;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TOML provider is found with ServiceLoader on the module path ({@code provides}) and on the
 * class path ({@code META-INF/services}); {@code toml:} URIs, from the builder or from
 * {@code <PREFIX>_STORE}, open a TOML store; {@code .toml} files serve as read-only defaults and
 * system files, with the line of every key. The build runs this class on both paths.
 */
class TomlProviderDiscoveryTest {

    @TempDir
    Path home;

    @Test
    void waterfall_discoversTheTomlProvider_andATomlUriOpensATomlStore() throws IOException {
        Path file = home.resolve("app.toml");
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home).store("toml:" + file).open()) {
            assertThat(waterfall.storeSchemes()).contains("toml");
            assertThat(waterfall.store().location()).isEqualTo("toml:" + file);
            waterfall.set("plant.name", Value.of("Basil"));
        }
        assertThat(Files.readString(file)).isEqualTo("[plant]\nname = \"Basil\"\n");
    }

    @Test
    void storeVariable_withATomlUri_selectsTheTomlStore_withHomeRelativePathAndBackupsOption() {
        Map<String, String> environment = Map.of("DISCOVERY_STORE", "toml:~/conf/app.toml?backups=3");
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(environment).home(home).open()) {
            assertThat(waterfall.storeVariable()).isEqualTo("DISCOVERY_STORE");
            assertThat(waterfall.store().location()).isEqualTo("toml:" + home.resolve("conf/app.toml"));
            for (int i = 0; i < 5; i++) {
                waterfall.set("n", Value.of(i));
            }
            assertThat(waterfall.store().backups().orElseThrow().list()).hasSize(3);
        }
    }

    @Test
    void aBarePathEndingInToml_opensATomlStore() throws IOException {
        Path file = home.resolve("bare.toml");
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home).store(file.toString()).open()) {
            assertThat(waterfall.store().location()).isEqualTo("toml:" + file);
            waterfall.set("a", Value.of(1));
        }
        assertThat(Files.readString(file)).isEqualTo("a = 1\n");
    }

    @Test
    void aProviderRegisteredByHand_worksWithoutDiscovery() {
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home)
                .store("toml:" + home.resolve("by-hand.toml")).discoverProviders(false).provider(new TomlStoreProvider()).open()) {
            assertThat(waterfall.storeSchemes()).containsExactly("toml");
            waterfall.set("ok", Value.of(true));
            assertThat(waterfall.store().get(Key.of("ok"))).map(Entry::value).contains(Value.of(true));
        }
    }

    @Test
    void tomlFiles_serveAsDefaultsAndSystemFile_withTheLineOfEachKey() throws IOException {
        Path defaults = home.resolve("defaults.toml");
        Files.writeString(defaults, """
                # shipped with the program
                [plant]
                name = "Basil"
                watering_days = 3
                """);
        Path system = home.resolve("system.toml");
        Files.writeString(system, "\n[plant]\n\nwatering_days = 5   # this site is dry\n");
        try (Waterfall waterfall = Waterfall.builder("discovery").environment(Map.of()).home(home)
                .store("toml:" + home.resolve("user.toml")).defaultsFile(defaults).systemFile(system).open()) {
            Resolved name = waterfall.get("plant.name").orElseThrow();
            Resolved days = waterfall.get("plant.watering_days").orElseThrow();

            assertThat(name.origin()).isEqualTo(new Origin(Layer.DEFAULTS, defaults.toString(), 3));
            assertThat(days.value()).isEqualTo(Value.of(5));
            assertThat(days.origin()).isEqualTo(new Origin(Layer.SYSTEM, system.toString(), 4));
        }
    }

    @Test
    void readDocument_ofABrokenFile_namesTheSourceLineAndColumn() {
        ConfigStoreProvider provider = new TomlStoreProvider();
        ParsedDocument document = provider.readDocument("a = 1\nb.c = [1.50]\n".getBytes(StandardCharsets.UTF_8), "defaults.toml");

        assertThat(provider.documentExtensions()).containsExactly("toml");
        assertThat(document.values()).containsEntry(Key.of("b.c"), Value.parseJson("[1.50]"));
        assertThat(document.line(Key.of("b.c"))).isEqualTo(2);
        assertThatThrownBy(() -> provider.readDocument("a = 1\nb = [1,\n".getBytes(StandardCharsets.UTF_8), "defaults.toml"))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageStartingWith("defaults.toml:3:1: not valid TOML 1.0: ");
    }

    @Test
    void theModuleDescriptorProvidesIt_exportsOnlyItsPackage_andTheServicesFileListsIt() throws IOException {
        Module module = TomlStoreProvider.class.getModule();
        if (module.isNamed()) {
            ModuleDescriptor descriptor = module.getDescriptor();
            assertThat(descriptor.name()).isEqualTo("dev.waterfall.toml");
            assertThat(descriptor.provides()).anySatisfy(provides -> {
                assertThat(provides.service()).isEqualTo(ConfigStoreProvider.class.getName());
                assertThat(provides.providers()).containsExactly(TomlStoreProvider.class.getName());
            });
            assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                    .containsExactly("dev.waterfall.toml");
            assertThat(descriptor.opens()).isEmpty();
        }
        try (InputStream services = TomlStoreProvider.class.getResourceAsStream(
                "/META-INF/services/" + ConfigStoreProvider.class.getName())) {
            assertThat(services).as("META-INF/services for the class path").isNotNull();
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(TomlStoreProvider.class.getName());
        }
    }
}
