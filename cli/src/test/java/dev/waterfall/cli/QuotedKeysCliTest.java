package dev.waterfall.cli;

import dev.waterfall.config.NullValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys with quoted segments on the command line (issue 15, item 14): a real-shaped Cargo manifest
 * (backend-toml's test resource {@code real-world/Cargo.toml}) as the store; get, set, list,
 * explain, history, undo, export, import and migrate with keys written as TOML writes them.
 */
class QuotedKeysCliTest {

    private static final String LIBC = "target.\"cfg(unix)\".dependencies.libc";

    @TempDir
    Path home;

    Cli cli;
    Path manifest;
    String store;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(home);
        manifest = home.resolve("Cargo.toml");
        Files.copy(Path.of("../backend-toml/src/test/resources/real-world/Cargo.toml"), manifest);
        store = "toml:" + manifest;
    }

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store;
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    @Test
    void cargoManifest_getSetListAndHistory_byQuotedKeys_keepEveryComment() throws IOException {
        List<String> comments = Files.readAllLines(manifest).stream().filter(line -> line.contains("#")).toList();

        assertThat(run("get", LIBC).out()).isEqualTo("0.2\n");
        assertThat(run("get", "target.'cfg(unix)'.dependencies.libc").out()).isEqualTo("0.2\n");
        Cli.Result set = run("set", "package.version", "0.4.3");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        Cli.Result quotedSet = run("set", "target.'cfg(unix)'.dependencies.libc", "0.2.150");
        assertThat(quotedSet.exitCode()).as(quotedSet.toString()).isZero();

        assertThat(Files.readAllLines(manifest).stream().filter(line -> line.contains("#")).toList())
                .isEqualTo(comments.stream().map(line -> line.replace("libc = \"0.2\"", "libc = \"0.2.150\"")).toList());
        assertThat(run("get", LIBC).out()).isEqualTo("0.2.150\n");
        assertThat(run("list", "target.'cfg(unix)'").out().lines().map(line -> line.replaceAll(" +# store$", "")).toList())
                .containsExactly(LIBC + " = \"0.2.150\"", "target.\"cfg(unix)\".dependencies.nix.features = [\"fs\",\"signal\"]",
                        "target.\"cfg(unix)\".dependencies.nix.version = \"0.27\"");
        Cli.Result history = run("history", "target.\"cfg(unix)\"");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains(LIBC).doesNotContain("package.version");
        Cli.Result undo = run("undo");
        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(run("get", LIBC).out()).isEqualTo("0.2\n");
    }

    @Test
    void explain_aQuotedKey_saysItHasNoEnvironmentVariable() {
        cli.env("WATERFALL_TARGET_CFG_UNIX__DEPENDENCIES_LIBC", "9.9");

        Cli.Result text = run("explain", LIBC);
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).startsWith(LIBC + " = \"0.2\"  from store " + store + ":")
                .contains("  env       -      (no variable: a key with a quoted segment has none)\n");

        Cli.Result json = run("--json", "explain", LIBC);
        assertThat(json.at("envVariable")).isEqualTo(NullValue.INSTANCE);
        assertThat(json.text("winner.origin.layer")).isEqualTo("store");

        Cli.Result absent = run("get", "target.'cfg(windows)'.dependencies.winreg");
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.err()).hasLineCount(1)
                .contains("not in the environment (no variable: a key with a quoted segment has none)")
                .contains("`waterfall set 'target.\"cfg(windows)\".dependencies.winreg' VALUE`");
    }

    @Test
    void exportImportAndMigrate_carryQuotedKeysExactly() throws IOException {
        Path out = home.resolve("dumps");
        Files.createDirectories(out);
        Cli.Result export = run("export", "--dir", out.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(Files.readString(Path.of(export.out().strip())))
                .contains("\n\"target.\"\"cfg(unix)\"\".dependencies.libc\",\"\"\"0.2\"\"\",string,");

        String sqlite = "sqlite:" + home.resolve("imported.db");
        Cli.Result imported = cli.run("--store", sqlite, "import", export.out().strip());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(cli.run("--store", sqlite, "get", LIBC).out()).isEqualTo("0.2\n");

        Path ndjson = home.resolve("migrated.ndjson");
        Cli.Result migrate = cli.run("--store", sqlite, "migrate", "--to", "ndjson:" + ndjson);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(cli.run("--store", "ndjson:" + ndjson, "get", "features.'tls+rustls'").out()).isEqualTo("[\"dep:rustls\"]\n");
        assertThat(cli.run("--store", "ndjson:" + ndjson, "list").out())
                .isEqualTo(run("list").out().replace(store, "ndjson:" + ndjson));
    }
}
