package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.NumberValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ListCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void list_keysOfEveryLayer_sortedWithTheWinningLayer() throws IOException {
        Path defaults = Files.writeString(home.resolve("defaults.json"), "{\"a\": 1, \"b\": 2, \"c\": \"x\"}\n");
        cli.run("set", "b", "3");
        cli.env("WATERFALL_A", "5");

        Cli.Result result = cli.run("list", "--defaults", defaults.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "a = 5    # env WATERFALL_A\n"
                + "b = 3    # store\n"
                + "c = \"x\"  # defaults\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void list_redactsTheValuesOfKeysThatLookLikeSecrets_unlessAskedToShowThem() {
        cli.env("WATERFALL_DB_PASSWORD", "hunter2");
        cli.run("set", "db.host", "db1");
        cli.run("set", "db.password", "from-file", "--plaintext-secret");

        Cli.Result result = cli.run("list");
        Cli.Result json = cli.run("list", "--json");
        Cli.Result shown = cli.run("list", "--show-secrets");

        assertThat(result.out()).isEqualTo(
                "db.host = \"db1\"           # store\n"
                + "db.password = <redacted>  # env WATERFALL_DB_PASSWORD\n");
        assertThat(json.out()).doesNotContain("hunter2");
        assertThat(json.text("1.key")).isEqualTo("db.password");
        assertThat(json.at("1.redacted")).isEqualTo(dev.waterfall.config.Value.of(true));
        assertThat(json.text("1.type")).isEqualTo("string");
        assertThat(shown.out()).contains("db.password = \"hunter2\"");
        assertThat(cli.run("get", "db.password").out()).isEqualTo("hunter2\n");
    }

    @Test
    void list_prefix_onlyKeysAtOrUnderIt() {
        cli.run("set", "server.port", "8080");
        cli.run("set", "server.host", "example.org");
        cli.run("set", "serverless", "true");

        Cli.Result result = cli.run("list", "server");

        assertThat(result.out()).isEqualTo(
                "server.host = \"example.org\"  # store\n"
                + "server.port = 8080           # store\n");
    }

    @Test
    void list_cleanInstall_printsNothingCreatesNothingAndNotesWhyOnStderr() throws IOException {
        Cli.Result result = cli.run("list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("(no keys yet in json:" + cli.defaultStore() + "; `waterfall set KEY VALUE` adds one)\n");
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).as("a read never creates the store or its folders").isEmpty();
        }
    }

    @Test
    void list_json_isAnArrayOfResolvedKeys() {
        cli.run("set", "a", "1");
        cli.run("set", "b", "two");

        Cli.Result result = cli.run("list", "--json");

        assertThat(result.json()).isInstanceOf(ArrayValue.class);
        assertThat(((ArrayValue) result.json()).items()).hasSize(2);
        assertThat(result.text("0.key")).isEqualTo("a");
        assertThat(result.at("0.value")).isEqualTo(new NumberValue("1"));
        assertThat(result.text("1.type")).isEqualTo("string");
        assertThat(result.text("1.origin.layer")).isEqualTo("store");
        assertThat(result.at("1.revision")).isEqualTo(new NumberValue("2"));
    }

    @Test
    void list_jsonOfCleanInstall_isAnEmptyArray() {
        Cli.Result result = cli.run("list", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.json()).isEqualTo(ArrayValue.of());
    }

    @Test
    void list_brokenStore_exits3() throws IOException {
        Files.createDirectories(cli.defaultStore().getParent());
        Files.writeString(cli.defaultStore(), "{\"a\": ");

        Cli.Result result = cli.run("list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: " + cli.defaultStore());
    }
}
