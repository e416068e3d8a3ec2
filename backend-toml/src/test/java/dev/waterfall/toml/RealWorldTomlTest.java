package dev.waterfall.toml;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files of the shapes people keep in TOML, with the keys TOML quotes: a Cargo manifest
 * ({@code [target.'cfg(unix)'.dependencies]}) and a pyproject.toml
 * ({@code [project.entry-points."tidewater.plugins"]}), in test resources {@code real-world/}.
 * They open, their quoted keys are read and written by the quoted-segment syntax, and a write
 * changes only the lines of its keys: every comment stays (issue 15, item 14: such a key made the
 * whole file unreadable).
 */
class RealWorldTomlTest {

    @TempDir
    Path dir;

    private ContractWorld world;

    @BeforeEach
    void open() {
        world = new ContractWorld(dir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    private Path copy(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = RealWorldTomlTest.class.getResourceAsStream("/real-world/" + name)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private ConfigStore store(Path file) {
        return world.open("toml:" + file).store();
    }

    private static Value get(ConfigStore store, String key) {
        return store.get(Key.of(key)).map(Entry::value).orElseThrow(() -> new AssertionError(key + " is not read"));
    }

    @Test
    void cargoManifest_opens_readsQuotedKeys_andASetKeepsEveryOtherLine() throws Exception {
        Path file = copy("Cargo.toml");
        String before = Files.readString(file);
        ConfigStore store = store(file);

        assertThat(get(store, "target.'cfg(unix)'.dependencies.libc")).isEqualTo(Value.of("0.2"));
        assertThat(get(store, "target.\"cfg(unix)\".dependencies.libc")).isEqualTo(Value.of("0.2"));
        assertThat(get(store, "target.'cfg(target_os = \"macos\")'.dependencies.core-foundation")).isEqualTo(Value.of("0.9"));
        assertThat(get(store, "features.\"tls+rustls\"")).isEqualTo(Value.parseJson("[\"dep:rustls\"]"));
        assertThat(get(store, "profile.dev.package.\"*\".opt-level")).isEqualTo(Value.of(2));
        assertThat(store.snapshot().entries().keySet()).extracting(Key::path)
                .contains("target.\"cfg(windows)\".dependencies.windows-sys.version", "target.\"cfg(target_os = \\\"macos\\\")\".dependencies.core-foundation",
                        "target.x86_64-unknown-linux-gnu.dev-dependencies.criterion", "package.metadata.docs.rs.all-features");

        store.set(Key.of("package.version"), Value.of("0.4.3"));
        String after = Files.readString(file);
        assertThat(LineDiff.of(before, after)).isEqualTo(new LineDiff(List.of("version = \"0.4.2\""), List.of("version = \"0.4.3\"")));

        store.set(Key.of("target.'cfg(unix)'.dependencies.libc"), Value.of("0.2.150"));
        assertThat(LineDiff.of(after, Files.readString(file))).isEqualTo(new LineDiff(
                List.of("libc = \"0.2\" # keep in step with nix"), List.of("libc = \"0.2.150\" # keep in step with nix")));

        ConfigStore fresh = store(file);
        assertThat(get(fresh, "target.\"cfg(unix)\".dependencies.libc")).isEqualTo(Value.of("0.2.150"));
        assertThat(get(fresh, "package.version")).isEqualTo(Value.of("0.4.3"));
        assertThat(fresh.snapshot().size()).isEqualTo(store.snapshot().size());
    }

    @Test
    void cargoManifest_newQuotedKeysAndTables_goWhereTomlPutsThem_andPythonReadsThem() throws Exception {
        Path file = copy("Cargo.toml");
        String before = Files.readString(file);
        ConfigStore store = store(file);

        store.set(Key.of("target.'cfg(windows)'.dependencies.winreg"), Value.of("0.52"));
        store.set(Key.of("target.'cfg(target_arch = \"wasm32\")'.dependencies.js-sys"), Value.of("0.3"));
        store.unset(Key.of("features.\"tls+rustls\""));

        String after = Files.readString(file);
        LineDiff diff = LineDiff.of(before, after);
        assertThat(diff.removed()).containsExactly("\"tls+rustls\" = [\"dep:rustls\"]");
        assertThat(diff.added()).contains("winreg = \"0.52\"", "[target.\"cfg(target_arch = \\\"wasm32\\\")\".dependencies]", "js-sys = \"0.3\"");
        assertThat(after).contains("# Unix: inotify and signals\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\" # keep in step with nix\n");

        PythonTomllib.Reading python = PythonTomllib.read(file);
        assertThat(python.error()).isNull();
        assertThat(python.leaves()).containsKeys(List.of("target", "cfg(windows)", "dependencies", "winreg"),
                List.of("target", "cfg(target_arch = \"wasm32\")", "dependencies", "js-sys"));
        ConfigStore fresh = store(file);
        assertThat(get(fresh, "target.\"cfg(target_arch = \\\"wasm32\\\")\".dependencies.js-sys")).isEqualTo(Value.of("0.3"));
        assertThat(fresh.get(Key.of("features.'tls+rustls'"))).isEmpty();
    }

    @Test
    void pyproject_opens_readsDottedGroupNames_andASetKeepsEveryComment() throws Exception {
        Path file = copy("pyproject.toml");
        String before = Files.readString(file);
        ConfigStore store = store(file);

        assertThat(get(store, "project.entry-points.\"tidewater.plugins\".s3")).isEqualTo(Value.of("tidewater_client.plugins.s3:S3Plugin"));
        assertThat(get(store, "project.entry-points.pytest11.tidewater")).isEqualTo(Value.of("tidewater_client.pytest_plugin"));
        assertThat(get(store, "project.urls.'Bug Tracker'")).isEqualTo(Value.of("https://example.org/tidewater/issues"));
        assertThat(get(store, "tool.\"some.vendor\".\"~\"")).isEqualTo(Value.of("home"));
        assertThat(get(store, "tool.setuptools.package-data.\"*\"")).isEqualTo(Value.parseJson("[\"py.typed\"]"));
        assertThat(get(store, "tool.ruff.lint.per-file-ignores.\"tests/*\"")).isEqualTo(Value.parseJson("[\"S101\"]"));
        assertThat(store.snapshot().under(Key.of("project.entry-points.\"tidewater.plugins\"")).keySet()).extracting(Key::path)
                .containsExactly("project.entry-points.\"tidewater.plugins\".local", "project.entry-points.\"tidewater.plugins\".s3");

        store.set(Key.of("project.version"), Value.of("0.5.0"));
        store.set(Key.of("project.entry-points.'tidewater.plugins'.gcs"), Value.of("tidewater_client.plugins.gcs:GcsPlugin"));

        String after = Files.readString(file);
        LineDiff diff = LineDiff.of(before, after);
        assertThat(diff.removed()).containsExactly("version = \"0.4.2\"");
        assertThat(diff.added()).containsExactlyInAnyOrder("version = \"0.5.0\"", "gcs = \"tidewater_client.plugins.gcs:GcsPlugin\"");
        assertThat(after).contains("# Plugins are found through these groups; the group names hold dots.\n"
                + "[project.entry-points.\"tidewater.plugins\"]\n");
        assertThat(PythonTomllib.read(file).error()).isNull();
        assertThat(get(store(file), "project.entry-points.\"tidewater.plugins\".gcs")).isEqualTo(Value.of("tidewater_client.plugins.gcs:GcsPlugin"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"License :: OSI Approved :: MIT License\", # keep in step with license");
    }
}
