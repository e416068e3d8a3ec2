package dev.waterfall.cli;

import dev.waterfall.config.BooleanValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExportCommandTest {

    @TempDir
    Path home;

    Cli cli;
    Path out;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("USER", "alice").env("HOSTNAME", "box");
        cli.run("set", "server.port", "8080");
        cli.run("set", "plant.name", "=Rosemary, \"the\" herb");
        out = home.resolve("exports");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void export_writesADumpItsMetaAndLatest_andPrintsThePath() throws IOException {
        Cli.Result result = cli.run("export", "--dir", out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path dump = Path.of(result.out().strip());
        assertThat(dump.getParent()).isEqualTo(out);
        assertThat(dump.getFileName().toString()).matches("\\d{8}T\\d{6}Z_config_export\\.csv");
        assertThat(files()).contains(dump.getFileName().toString(), dump.getFileName().toString().replace(".csv", "_meta.json"),
                "latest_export.csv");
        assertThat(Files.readString(dump)).startsWith("key,value,type,revision,updated_at,updated_by\n")
                .contains("\nplant.name,\"\"\"=Rosemary, \\\"\"the\\\"\" herb\"\"\",string,2,")
                .contains("\nserver.port,8080,number,1,");
        assertThat(result.err()).matches("exported 2 rows of json:" + cli.defaultStore() + " \\(revision 2\\) in \\d+ ms; "
                + "latest_export\\.csv is this dump\\n");
    }

    @Test
    void export_json_describesTheDump() {
        Cli.Result result = cli.run("--json", "export", "--dir", out.toString(), "--format", "ndjson", "--name", "settings");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.text("dump")).matches(".*/\\d{8}T\\d{6}Z_settings_export\\.ndjson");
        assertThat(result.text("latest")).isEqualTo(out.resolve("latest_export.ndjson").toString());
        assertThat(result.at("written")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.at("rows").toJson()).isEqualTo("2");
        assertThat(result.at("storeRevision").toJson()).isEqualTo("2");
        assertThat(result.text("sha256")).hasSize(64);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void export_withholdsKeysThatLookLikeSecrets_sayingSo_unlessIncludeSecrets() throws IOException {
        String store = "sqlite:" + home.resolve("app.db");
        cli.run("--store", store, "set", "db.password", "hunter2");
        cli.run("--store", store, "set", "db.host", "db.example.com");

        Cli.Result withheld = cli.run("--store", store, "export", "--dir", out.toString());
        Cli.Result json = cli.run("--json", "--store", store, "export", "--dir", home.resolve("json").toString());
        Cli.Result included = cli.run("--store", store, "export", "--dir", home.resolve("all").toString(), "--include-secrets");

        assertThat(withheld.exitCode()).as(withheld.toString()).isZero();
        assertThat(Files.readString(Path.of(withheld.out().strip()))).contains("db.host").doesNotContain("db.password", "hunter2");
        assertThat(withheld.err()).contains("waterfall: warning: withheld 1 key that looks like a secret from the dump: db.password.",
                "--include-secrets").doesNotContain("hunter2");
        assertThat(json.exitCode()).isZero();
        assertThat(json.text("secrets")).isEqualTo("withheld");
        assertThat(json.at("withheldKeys").toJson()).isEqualTo("[\"db.password\"]");
        assertThat(json.at("rows").toJson()).isEqualTo("1");
        assertThat(included.exitCode()).isZero();
        assertThat(Files.readString(Path.of(included.out().strip()))).contains("db.password", "hunter2");
        assertThat(included.err()).doesNotContain("withheld");

        Cli.Result imported = cli.run("--store", "sqlite:" + home.resolve("restored.db"), "import", withheld.out().strip());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("dump: it withheld 1 key that looks like a secret (db.password) and holds no value for it");
    }

    @Test
    void export_ifChanged_writesNothingUntilTheStoreChanges() throws IOException {
        String first = cli.run("export", "--dir", out.toString(), "--if-changed").out().strip();

        Cli.Result unchanged = cli.run("export", "--dir", out.toString(), "--if-changed");
        cli.run("set", "server.port", "9090");
        Cli.Result changed = cli.run("export", "--dir", out.toString(), "--if-changed");

        assertThat(unchanged.out().strip()).isEqualTo(first);
        assertThat(unchanged.err()).contains("unchanged since").contains("(revision 2); nothing written");
        assertThat(changed.out().strip()).isNotEqualTo(first);
        assertThat(files()).filteredOn(name -> name.endsWith("Z_config_export.csv")).hasSize(2);
    }

    @Test
    void export_keep_removesOlderDumps() throws IOException {
        for (int i = 0; i < 3; i++) {
            cli.run("set", "n", Integer.toString(i));
            assertThat(cli.run("export", "--dir", out.toString(), "--keep", "2").exitCode()).isZero();
        }

        assertThat(files()).filteredOn(name -> name.endsWith("Z_config_export.csv")).hasSize(2);
        assertThat(files()).filteredOn(name -> name.endsWith("_meta.json")).hasSize(2);
    }

    @Test
    void export_nameThatLeavesTheFolder_isAUsageErrorAndWritesNothing() {
        Cli.Result result = cli.run("export", "--dir", out.toString(), "--name", "../../etc/cron.d/evil");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("waterfall: invalid export name \"../../etc/cron.d/evil\"");
        assertThat(out).doesNotExist();
    }

    @Test
    void export_badScheduleOptions_areUsageErrors() {
        assertThat(cli.run("export", "--every", "15m", "--cron", "@daily").err()).contains("give --every or --cron, not both");
        assertThat(cli.run("export", "--every", "soon").err()).contains("\"soon\" is not an interval");
        assertThat(cli.run("export", "--cron", "61 * * * *").err()).contains("not a valid minute");
        assertThat(cli.run("export", "--cron", "@daily", "--zone", "Mars/Olympus").err()).contains("unknown time zone");
        assertThat(cli.run("export", "--zone", "UTC").err()).contains("give --cron too");
        assertThat(cli.run("export", "--format", "xml").err()).contains("unknown dump format \"xml\"");
        for (String[] args : List.of(new String[] {"export", "--every", "soon"}, new String[] {"export", "--keep", "-1"},
                new String[] {"export", "--format", "xml"})) {
            assertThat(cli.run(args).exitCode()).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    @Test
    void export_unreachableStore_isExitCode3AndLeavesNoDump() throws IOException {
        Cli.Result result = cli.run("--store", "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2", "export", "--dir", out.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).startsWith("waterfall: ").contains("127.0.0.1:1");
        assertThat(files()).containsExactly(".waterfall-export.lock");
    }

    @Test
    void help_listsTheExportCommandsAndExitCode5() {
        Cli.Result result = cli.runWithAllCommands("--help");

        assertThat(result.out()).contains("export", "import", "migrate", "   5   verification failed");
    }
}
