package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The options of every command: --app, --store, --json, --defaults, --system-file, --env-prefix, --verbose. */
class GlobalOptionsTest {

    @TempDir
    Path home;

    Cli cli;
    String store;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
        store = "json:" + home.resolve("elsewhere/app.json");
        cli.run("--store", store, "set", "server.port", "8080");
    }

    @Test
    void jsonOption_beforeOrAfterTheSubcommandOrItsArgument_sameOutput() {
        Cli.Result before = cli.run("--store", store, "--json", "get", "server.port");
        Cli.Result between = cli.run("--store", store, "get", "--json", "server.port");
        Cli.Result after = cli.run("get", "server.port", "--store", store, "--json");

        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(before.text("type")).isEqualTo("number");
        assertThat(between.out()).isEqualTo(before.out());
        assertThat(after.out()).isEqualTo(before.out());
    }

    @Test
    void storeOption_equalsForm_works() {
        assertThat(cli.run("get", "server.port", "--store=" + store).out()).isEqualTo("8080\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"before", "middle", "after"})
    void options_onANestedSubcommand_acceptedAtEveryLevel(String where) {
        cli.run("--store", store, "set", "server.port", "8081");
        List<String> args = switch (where) {
            case "before" -> List.of("--json", "--store", store, "backups", "list");
            case "middle" -> List.of("backups", "--json", "--store", store, "list");
            default -> List.of("backups", "list", "--json", "--store", store);
        };

        Cli.Result result = cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.text("0.name")).startsWith("app.");
    }

    @Test
    void storeOption_winsOverTheStoreVariable_whichWinsOverTheDefault() {
        cli.env("WATERFALL_STORE", store);
        assertThat(cli.run("get", "server.port").out()).as("from WATERFALL_STORE").isEqualTo("8080\n");

        Cli.Result withOption = cli.run("get", "server.port", "--store", "json:" + home.resolve("empty.json"));
        assertThat(withOption.exitCode()).as("--store wins").isEqualTo(1);

        cli.unsetEnv("WATERFALL_STORE");
        assertThat(cli.run("get", "server.port").exitCode()).as("the default store is empty").isEqualTo(1);
    }

    @Test
    void storeOption_filePathWithExtension_picksTheScheme() {
        Path file = home.resolve("plain.json");

        cli.run("set", "a", "1", "--store", file.toString());

        assertThat(file).exists();
        assertThat(cli.run("get", "a", "--store", "json:" + file).out()).isEqualTo("1\n");
    }

    @Test
    void storeOption_unknownScheme_exits2ListingTheInstalledOnes() {
        Cli.Result result = cli.run("get", "a", "--store", "carrier-pigeon://coop");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("no store provider handles \"carrier-pigeon:\"", "installed: json:");
    }

    @Test
    void appOption_picksTheFolderAndTheEnvironmentPrefix() {
        cli.run("--app", "pipeline", "set", "plant.name", "Rosemary");
        cli.env("PIPELINE_PLANT_NAME", "Basil");

        assertThat(home.resolve(".config/pipeline/config.json")).exists();
        assertThat(cli.run("get", "plant.name", "--app", "pipeline").out()).isEqualTo("Basil\n");
        assertThat(cli.run("get", "plant.name").exitCode()).as("app waterfall is another store").isEqualTo(1);
    }

    @Test
    void appOption_invalidName_exits2() {
        Cli.Result result = cli.run("--app", "../etc", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("invalid application name");
    }

    @Test
    void xdgConfigHome_movesTheDefaultStore() {
        Path xdg = home.resolve("xdg");
        cli.env("XDG_CONFIG_HOME", xdg.toString());

        cli.run("set", "a", "1");

        assertThat(xdg.resolve("waterfall/config.json")).exists();
    }

    @Test
    void defaultsOption_tildeMeansHome() throws IOException {
        Files.writeString(home.resolve("defaults.json"), "{\"colour\": \"green\"}");

        assertThat(cli.run("get", "colour", "--defaults=~/defaults.json").out()).isEqualTo("green\n");
    }

    @Test
    void defaultsOption_missingFile_exits3NamingIt() {
        Cli.Result result = cli.run("get", "colour", "--defaults", home.resolve("nope.json").toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).hasLineCount(1).contains("nope.json");
    }

    @Test
    void systemFileOption_missingFile_isAnEmptyLayer() {
        Cli.Result result = cli.run("get", "server.port", "--store", store, "--system-file", home.resolve("nope.json").toString());

        assertThat(result.exitCode()).isZero();
    }

    @Test
    void lazyAndFullCommandLines_giveTheSameResults() {
        for (String[] args : List.of(
                new String[] {"--store", store, "get", "server.port"},
                new String[] {"get", "server.port", "--json", "--store", store},
                new String[] {"--app", "x", "list"},
                new String[] {"--store", store, "backups", "list"},
                new String[] {"--store", store, "explain", "server.port"},
                new String[] {"get"},
                new String[] {"nope"},
                new String[] {"--json"},
                new String[] {"--", "get"},
                new String[] {"help", "get"})) {
            Cli.Result lazy = cli.run(args);
            Cli.Result full = cli.runWithAllCommands(args);
            assertThat(lazy.exitCode()).as(String.join(" ", args)).isEqualTo(full.exitCode());
            assertThat(lazy.out()).as(String.join(" ", args)).isEqualTo(full.out());
            assertThat(lazy.err()).as(String.join(" ", args)).isEqualTo(full.err());
        }
    }
}
