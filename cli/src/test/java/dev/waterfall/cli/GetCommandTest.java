package dev.waterfall.cli;

import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class GetCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void get_storedString_printsPlainText() {
        cli.run("set", "plant.name", "Rosemary");

        Cli.Result result = cli.run("get", "plant.name");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Rosemary\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void get_otherValues_printJson() {
        cli.run("set", "port", "8080");
        cli.run("set", "ports", "[80, 443]");
        cli.run("set", "on", "true");
        cli.run("set", "nothing", "null");
        cli.run("set", "price", "2.50");
        cli.run("set", "quoted", "\"8080\"");

        assertThat(cli.run("get", "port").out()).isEqualTo("8080\n");
        assertThat(cli.run("get", "ports").out()).isEqualTo("[80,443]\n");
        assertThat(cli.run("get", "on").out()).isEqualTo("true\n");
        assertThat(cli.run("get", "nothing").out()).isEqualTo("null\n");
        assertThat(cli.run("get", "price").out()).isEqualTo("2.50\n");
        assertThat(cli.run("get", "quoted").out()).as("a string prints as its text").isEqualTo("8080\n");
    }

    @Test
    void get_absentKey_exits1WithOneLineNamingWhereItLooked() {
        Cli.Result result = cli.run("get", "server.port");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1)
                .startsWith("waterfall: server.port has no value")
                .contains("WATERFALL_SERVER_PORT", "json:" + cli.defaultStore(), "waterfall set server.port VALUE");
    }

    @Test
    void get_json_printsValueTypeOriginAndStoreEntry() {
        cli.env("USER", "alice").env("HOSTNAME", "box");
        cli.run("set", "server.port", "8080");

        Cli.Result result = cli.run("get", "server.port", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.text("key")).isEqualTo("server.port");
        assertThat(result.at("value")).isEqualTo(new NumberValue("8080"));
        assertThat(result.text("type")).isEqualTo("number");
        assertThat(result.text("origin.layer")).isEqualTo("store");
        assertThat(result.text("origin.source")).isEqualTo("json:" + cli.defaultStore());
        assertThat(((NumberValue) result.at("origin.line")).longValueExact()).isPositive();
        assertThat(result.at("revision")).isEqualTo(new NumberValue("1"));
        assertThat(Instant.parse(result.text("updatedAt"))).isBeforeOrEqualTo(Instant.now());
        assertThat(result.text("updatedBy.surface")).isEqualTo("cli");
        assertThat(result.text("updatedBy.user")).isEqualTo("alice");
        assertThat(result.text("updatedBy.host")).isEqualTo("box");
        assertThat(((NumberValue) result.at("updatedBy.pid")).longValueExact()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void get_jsonOfEnvValue_hasOriginEnvAndNoStoreEntry() {
        cli.run("set", "server.port", "8080");
        cli.env("WATERFALL_SERVER_PORT", "9090");

        Cli.Result result = cli.run("--json", "get", "server.port");

        assertThat(result.at("value")).isEqualTo(new NumberValue("9090"));
        assertThat(result.text("origin.layer")).isEqualTo("env");
        assertThat(result.text("origin.source")).isEqualTo("WATERFALL_SERVER_PORT");
        assertThat(result.object().members()).doesNotContainKeys("revision", "updatedAt", "updatedBy");
    }

    @Test
    void get_eachLayer_highestWins() throws IOException {
        Path defaults = write("defaults.json", "{\n  \"a\": \"defaults\",\n  \"b\": \"defaults\",\n  \"c\": \"defaults\",\n  \"d\": \"defaults\"\n}\n");
        Path system = write("system.json", "{\n  \"a\": \"system\",\n  \"b\": \"system\",\n  \"c\": \"system\"\n}\n");
        cli.run("set", "a", "store");
        cli.run("set", "b", "store");
        cli.env("WATERFALL_A", "env");
        String[] layers = {"--defaults", defaults.toString(), "--system-file", system.toString()};

        assertThat(cli.run(with(layers, "get", "a")).out()).isEqualTo("env\n");
        assertThat(cli.run(with(layers, "get", "b")).out()).isEqualTo("store\n");
        assertThat(cli.run(with(layers, "get", "c")).out()).isEqualTo("system\n");
        assertThat(cli.run(with(layers, "get", "d")).out()).isEqualTo("defaults\n");
        Cli.Result fromDefaults = cli.run(with(layers, "get", "d", "--json"));
        assertThat(fromDefaults.text("origin.layer")).isEqualTo("defaults");
        assertThat(fromDefaults.text("origin.source")).isEqualTo(defaults.toString());
        assertThat(fromDefaults.at("origin.line")).isEqualTo(new NumberValue("5"));
    }

    @Test
    void get_envValueOverStoredString_staysString() {
        cli.run("set", "code", "--string", "007");
        cli.env("WATERFALL_CODE", "008");

        Cli.Result result = cli.run("get", "code", "--json");

        assertThat(result.at("value")).isEqualTo(new StringValue("008"));
        assertThat(result.text("type")).isEqualTo("string");
    }

    @Test
    void get_booleanJson_hasTypeBoolean() {
        cli.run("set", "feature.on", "true");

        Cli.Result result = cli.run("get", "feature.on", "--json");

        assertThat(result.at("value")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.text("type")).isEqualTo("boolean");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(home.resolve(name), content);
    }

    static String[] with(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
