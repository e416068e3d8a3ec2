package dev.waterfall.cli;

import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.NumberValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UnsetCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void unset_storedKey_letsTheDefaultShowThroughAndNeverWritesTheDefaults() throws IOException {
        Path defaults = Files.writeString(home.resolve("defaults.json"), "{\"plant\": {\"name\": \"Fern\"}}\n");
        byte[] defaultsBytes = Files.readAllBytes(defaults);
        cli.run("set", "plant.name", "Rosemary");
        assertThat(cli.run("get", "plant.name", "--defaults", defaults.toString()).out()).isEqualTo("Rosemary\n");

        Cli.Result result = cli.run("unset", "plant.name", "--defaults", defaults.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(cli.run("get", "plant.name", "--defaults", defaults.toString()).out()).isEqualTo("Fern\n");
        assertThat(Files.readAllBytes(defaults)).isEqualTo(defaultsBytes);
        assertThat(Files.readString(cli.defaultStore())).doesNotContain("Fern");
    }

    @Test
    void unset_absentKey_exits0AndChangesNothing() {
        Cli.Result result = cli.run("unset", "nothing.here", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.at("changed")).isEqualTo(BooleanValue.FALSE);
        assertThat(cli.defaultStore()).doesNotExist();
    }

    @Test
    void unset_ifRevisionStale_exits4AndKeepsTheKey() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");

        Cli.Result result = cli.run("unset", "a", "--if-revision", "1");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(cli.run("get", "a").out()).isEqualTo("2\n");
    }

    @Test
    void unset_ifRevisionCurrent_removes() {
        cli.run("set", "a", "1");
        NumberValue revision = (NumberValue) cli.run("get", "a", "--json").at("revision");

        Cli.Result result = cli.run("unset", "a", "--if-revision", revision.literal());

        assertThat(result.exitCode()).isZero();
        assertThat(cli.run("get", "a").exitCode()).isEqualTo(1);
    }

    @Test
    void unset_shadowedByEnv_warns() {
        cli.run("set", "a", "1");
        cli.env("WATERFALL_A", "5");

        Cli.Result result = cli.run("unset", "a");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).startsWith("waterfall: warning: the environment variable WATERFALL_A");
    }
}
