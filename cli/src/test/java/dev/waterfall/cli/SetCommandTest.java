package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SetCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    private Value stored(String key) {
        return cli.run("get", key, "--json").at("value");
    }

    private String type(String key) {
        return cli.run("get", key, "--json").text("type");
    }

    @Test
    void set_aKeyThatLooksLikeASecret_isRefusedInAPlaintextStore_unlessAllowedForThatKey() throws IOException {
        Cli.Result refused = cli.run("set", "github.token", "ghp_123");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("github.token", "looks like a secret", "waterfall explain github.token", "--plaintext-secret");
        assertThat(refused.err()).doesNotContain("ghp_123");
        assertThat(cli.defaultStore()).doesNotExist();

        Cli.Result allowed = cli.run("set", "github.token", "ghp_123", "--plaintext-secret");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(Files.readString(cli.defaultStore())).contains("ghp_123");
        assertThat(cli.run("set", "db.password", "x", "--plaintext-secret").exitCode()).isZero();
        assertThat(cli.run("set", "npm.token", "y").exitCode()).as("the option allows only the key it comes with").isEqualTo(2);
    }

    @Test
    void set_jsonLiterals_storeTypedValues() {
        assertThat(cli.run("set", "port", "8080").exitCode()).isZero();
        cli.run("set", "ratio", "-0.25");
        cli.run("set", "on", "true");
        cli.run("set", "nothing", "null");
        cli.run("set", "list", "[1,2]");
        cli.run("set", "text", "\"8080\"");

        assertThat(stored("port")).isEqualTo(new NumberValue("8080"));
        assertThat(stored("ratio")).isEqualTo(new NumberValue("-0.25"));
        assertThat(stored("on")).isEqualTo(BooleanValue.TRUE);
        assertThat(stored("nothing")).isEqualTo(NullValue.INSTANCE);
        assertThat(stored("list")).isEqualTo(ArrayValue.of(new NumberValue("1"), new NumberValue("2")));
        assertThat(stored("text")).isEqualTo(new StringValue("8080"));
    }

    @ParameterizedTest
    @CsvSource({"Rosemary", "hello world", "localhost:8080", "1.2.3", "TRUE", "007x"})
    void set_bareWord_storesTheTextAsString(String word) {
        cli.run("set", "name", word);

        assertThat(stored("name")).isEqualTo(new StringValue(word));
    }

    @Test
    void set_stringOption_storesLiteralsAsText() {
        cli.run("set", "--string", "code", "007");
        cli.run("set", "flag", "true", "--string");
        cli.run("set", "list", "--string", "[1,2]");

        assertThat(stored("code")).isEqualTo(new StringValue("007"));
        assertThat(stored("flag")).isEqualTo(new StringValue("true"));
        assertThat(stored("list")).isEqualTo(new StringValue("[1,2]"));
    }

    @Test
    void set_negativeNumber_isTheValueNotAnOption() {
        Cli.Result result = cli.run("set", "offset", "-5");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(stored("offset")).isEqualTo(new NumberValue("-5"));
    }

    @Test
    void set_valueThatLooksLikeAnOption_afterDoubleDash() {
        cli.run("set", "flags", "--", "--fast");

        assertThat(stored("flags")).isEqualTo(new StringValue("--fast"));
    }

    @Test
    void set_writesTheDefaultStoreAsNestedJson() throws IOException {
        cli.run("set", "server.port", "8080");
        cli.run("set", "server.host", "example.org");

        assertThat(Files.readString(cli.defaultStore())).isEqualTo(
                "{\n  \"server\": {\n    \"port\": 8080,\n    \"host\": \"example.org\"\n  }\n}\n");
    }

    @Test
    void set_sameValueAgain_changesNothing() {
        cli.run("set", "port", "8080");

        Cli.Result again = cli.run("set", "port", "8080", "--json");

        assertThat(again.at("changed")).isEqualTo(BooleanValue.FALSE);
        assertThat(again.at("revision")).isEqualTo(new NumberValue("1"));
    }

    @Test
    void set_json_printsKeyChangedValueRevisionAndWarnings() {
        Cli.Result result = cli.run("--json", "set", "port", "8080");

        assertThat(result.exitCode()).isZero();
        assertThat(result.text("key")).isEqualTo("port");
        assertThat(result.at("changed")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.at("value")).isEqualTo(new NumberValue("8080"));
        assertThat(result.text("type")).isEqualTo("number");
        assertThat(result.at("revision")).isEqualTo(new NumberValue("1"));
        assertThat(result.text("updatedBy.surface")).isEqualTo("cli");
        assertThat(result.at("warnings")).isEqualTo(ArrayValue.of());
    }

    @Test
    void set_shadowedByEnv_succeedsAndWarnsOnStderr() {
        cli.env("WATERFALL_SERVER_PORT", "9090");

        Cli.Result result = cli.run("set", "server.port", "8080");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1)
                .startsWith("waterfall: warning: the environment variable WATERFALL_SERVER_PORT is set and overrides");
        assertThat(cli.unsetEnv("WATERFALL_SERVER_PORT").run("get", "server.port").out()).isEqualTo("8080\n");
    }

    @Test
    void set_shadowedByEnvWithJson_listsTheWarningToo() {
        cli.env("WATERFALL_PORT", "1");

        Cli.Result result = cli.run("set", "port", "2", "--json");

        assertThat(result.err()).contains("WATERFALL_PORT");
        assertThat(((StringValue) result.at("warnings.0")).value()).contains("WATERFALL_PORT");
    }

    @Test
    void set_ifRevisionMatches_writes() {
        cli.run("set", "counter", "1");
        long revision = ((NumberValue) cli.run("get", "counter", "--json").at("revision")).longValueExact();

        Cli.Result result = cli.run("set", "counter", "2", "--if-revision", Long.toString(revision));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(stored("counter")).isEqualTo(new NumberValue("2"));
    }

    @Test
    void set_ifRevisionStale_exits4AndWritesNothing() {
        cli.run("set", "counter", "1");
        cli.run("set", "counter", "2");

        Cli.Result result = cli.run("set", "counter", "3", "--if-revision", "1");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: conflict on counter: expected revision 1 but it is at 2");
        assertThat(stored("counter")).isEqualTo(new NumberValue("2"));
    }

    @Test
    void set_ifRevisionZero_writesOnlyAnAbsentKey() {
        assertThat(cli.run("set", "lock.owner", "alice", "--if-revision", "0").exitCode()).isZero();

        Cli.Result second = cli.run("set", "lock.owner", "bob", "--if-revision", "0");

        assertThat(second.exitCode()).isEqualTo(4);
        assertThat(stored("lock.owner")).isEqualTo(new StringValue("alice"));
    }

    @Test
    void set_ifRevisionNegative_exits2() {
        Cli.Result result = cli.run("set", "a", "1", "--if-revision", "-3");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("--if-revision must be 0");
    }

    @Test
    void set_table_exits2AndSaysToSetTheMembers() {
        Cli.Result result = cli.run("set", "server", "{\"port\": 1}");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("cannot set server to a table");
        assertThat(cli.defaultStore()).doesNotExist();
    }

    @Test
    void set_keyUnderALeaf_exits2() {
        cli.run("set", "server", "1");

        Cli.Result result = cli.run("set", "server.port", "8080");

        assertThat(result.exitCode()).as("a key conflict is a request that can never succeed as given").isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("server holds a value");
    }

    @Test
    void set_invalidKey_exits2NamingTheRule() {
        Cli.Result result = cli.run("set", "bad key", "1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("invalid key \"bad key\"");
    }

    @Test
    void set_brokenJsonLiteral_exits2() {
        Cli.Result result = cli.run("set", "list", "[1,");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("not valid JSON");
    }

    @Test
    void set_missingValue_exits2() {
        Cli.Result result = cli.run("set", "port");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("waterfall: Missing required parameter: 'VALUE' (see 'waterfall set --help')\n");
    }

    @Test
    void set_brokenStore_exits3AndLeavesItsBytes() throws IOException {
        Files.createDirectories(cli.defaultStore().getParent());
        byte[] broken = "{\n  \"a\": 1,\n}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(cli.defaultStore(), broken);

        Cli.Result result = cli.run("set", "b", "2");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: " + cli.defaultStore() + ":3:");
        assertThat(Files.readAllBytes(cli.defaultStore())).isEqualTo(broken);
    }

    @Test
    void set_argumentTheJvmCouldNotDecode_exits2() {
        cli.argumentCharset("ANSI_X3.4-1968");

        Cli.Result result = cli.run("set", "name", "Ros\uFFFD\uFFFD");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("LC_ALL=C.UTF-8");
        assertThat(cli.defaultStore()).doesNotExist();
    }

    @Test
    void set_nonAsciiUnderUtf8_storesIt() {
        cli.run("set", "name", "Rosé ✓");

        assertThat(cli.run("get", "name").out()).isEqualTo("Rosé ✓\n");
    }
}
