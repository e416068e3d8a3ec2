package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryCommandTest {

    @TempDir
    Path home;

    Cli cli;
    String by;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("USER", "alice").env("HOSTNAME", "box");
        by = "by cli alice@box pid " + ProcessHandle.current().pid();
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        cli.run("unset", "a");
        cli.run("set", "b", "x");
    }

    @Test
    void history_afterWrites_listsEveryChangeNewestFirstWithWho() {
        Cli.Result result = cli.run("history");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("r4  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  b  \\(absent\\) -> \"x\"  " + by);
        assertThat(lines.get(1)).matches("r3  \\S+  a  2 -> \\(removed\\)  " + by);
        assertThat(lines.get(2)).matches("r2  \\S+  a  1 -> 2  " + by);
        assertThat(lines.get(3)).matches("r1  \\S+  a  \\(absent\\) -> 1  " + by);
    }

    @Test
    void history_key_onlyItsChanges() {
        Cli.Result result = cli.run("history", "b");

        assertThat(result.out().lines()).hasSize(1).allMatch(line -> line.contains("  b  "));
    }

    @Test
    void history_limit_newestOnly() {
        Cli.Result result = cli.run("history", "-n", "2");

        assertThat(result.out().lines().map(line -> line.substring(0, 2))).containsExactly("r4", "r3");
    }

    @Test
    void history_limitZero_exits2() {
        assertThat(cli.run("history", "--limit", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void history_json_hasOldAndNewTypedValuesAndWho() {
        Cli.Result result = cli.run("history", "--json", "a");

        assertThat(((ArrayValue) result.json()).items()).hasSize(3);
        assertThat(result.at("0.revision")).isEqualTo(new NumberValue("3"));
        assertThat(result.text("0.key")).isEqualTo("a");
        assertThat(result.at("0.old.value")).isEqualTo(new NumberValue("2"));
        assertThat(result.at("0.old.type")).isEqualTo(new StringValue("number"));
        assertThat(result.at("0.new")).as("removed").isEqualTo(NullValue.INSTANCE);
        assertThat(result.at("2.old")).as("absent before").isEqualTo(NullValue.INSTANCE);
        assertThat(result.text("2.by.surface")).isEqualTo("cli");
        assertThat(result.text("2.by.user")).isEqualTo("alice");
        assertThat(result.text("2.at")).endsWith("Z");
    }

    @Test
    void history_ofUntouchedStore_isEmptyWithANote() {
        Cli.Result result = new Cli(home).run("history", "--app", "fresh");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("(no recorded changes in json:");
    }
}
