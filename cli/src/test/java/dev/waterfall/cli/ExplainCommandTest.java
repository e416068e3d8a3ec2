package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainCommandTest {

    @TempDir
    Path home;

    Cli cli;
    Path defaults;
    Path system;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(home);
        defaults = Files.writeString(home.resolve("defaults.json"), "{\n  \"server\": {\n    \"port\": 80\n  }\n}\n");
        system = Files.writeString(home.resolve("system.json"), "{\n  \"server\": {\n    \"port\": 8000\n  }\n}\n");
    }

    private Cli.Result explain(String... more) {
        String[] args = {"explain", "server.port", "--defaults", defaults.toString(), "--system-file", system.toString()};
        return cli.run(GetCommandTest.with(args, more));
    }

    @Test
    void explain_everyLayerSet_showsEachValueAndSourceAndMarksEnvAsWinner() {
        cli.run("set", "server.port", "8080");
        cli.env("WATERFALL_SERVER_PORT", "9090");

        Cli.Result result = explain();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "server.port = 9090  from env WATERFALL_SERVER_PORT\n"
                + "* env       9090  WATERFALL_SERVER_PORT\n"
                + "  store     8080  json:" + cli.defaultStore() + ":3\n"
                + "  system    8000  " + system + ":3\n"
                + "  defaults  80    " + defaults + ":3\n");
    }

    @Test
    void explain_noEnvVariable_namesTheExactVariableToSet() {
        cli.run("set", "server.port", "8080");

        Cli.Result result = explain();

        assertThat(result.out()).isEqualTo(
                "server.port = 8080  from store json:" + cli.defaultStore() + ":3\n"
                + "  env       -     WATERFALL_SERVER_PORT (not set)\n"
                + "* store     8080  json:" + cli.defaultStore() + ":3\n"
                + "  system    8000  " + system + ":3\n"
                + "  defaults  80    " + defaults + ":3\n");
    }

    @Test
    void explain_layersNotGiven_sayHowToGiveThem() {
        Cli.Result result = cli.run("explain", "plant.name", "--app", "my-app");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo(
                "plant.name has no value in any layer\n"
                + "  env       -  MY_APP_PLANT_NAME (not set)\n"
                + "  store     -  json:" + home.resolve(".config/my-app/config.json") + "\n"
                + "  system    -  (no system file given: --system-file FILE)\n"
                + "  defaults  -  (no defaults given: --defaults FILE)\n");
        assertThat(result.err()).hasLineCount(1).contains("plant.name has no value in any layer", "export MY_APP_PLANT_NAME");
    }

    @Test
    void explain_json_listsLayersWithValuesAndTheWinner() {
        cli.run("set", "server.port", "8080");

        Cli.Result result = explain("--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.text("key")).isEqualTo("server.port");
        assertThat(result.text("envVariable")).isEqualTo("WATERFALL_SERVER_PORT");
        assertThat(result.text("winner.origin.layer")).isEqualTo("store");
        assertThat(result.at("winner.revision")).isEqualTo(new NumberValue("1"));
        assertThat(((ArrayValue) result.at("layers")).items()).hasSize(4);
        assertThat(result.text("layers.0.layer")).isEqualTo("env");
        assertThat(result.text("layers.0.source")).isEqualTo("WATERFALL_SERVER_PORT");
        assertThat(result.at("layers.0.value")).isEqualTo(NullValue.INSTANCE);
        assertThat(result.at("layers.0.wins")).isEqualTo(BooleanValue.FALSE);
        assertThat(result.at("layers.1.value.value")).isEqualTo(new NumberValue("8080"));
        assertThat(result.at("layers.1.wins")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.text("layers.2.layer")).isEqualTo("system");
        assertThat(result.at("layers.2.configured")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.at("layers.2.line")).isEqualTo(new NumberValue("3"));
        assertThat(result.text("layers.3.source")).isEqualTo(defaults.toString());
        assertThat(result.text("layers.3.value.type")).isEqualTo("number");
    }

    @Test
    void explain_jsonOfAbsentKey_hasNullWinnerAndExits1() {
        Cli.Result result = cli.run("explain", "nothing", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.at("winner")).isEqualTo(NullValue.INSTANCE);
        assertThat(result.at("layers.2.configured")).isEqualTo(BooleanValue.FALSE);
        assertThat(result.at("layers.2.source")).isEqualTo(new StringValue(""));
    }

    @Test
    void explain_envPrefixOption_usesItsVariable() {
        cli.env("PIPE_SERVER_PORT", "1");

        Cli.Result result = cli.run("explain", "server.port", "--env-prefix", "PIPE", "--json");

        assertThat(result.text("envVariable")).isEqualTo("PIPE_SERVER_PORT");
        assertThat(result.text("winner.origin.layer")).isEqualTo("env");
    }
}
