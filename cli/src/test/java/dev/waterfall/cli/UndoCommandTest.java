package dev.waterfall.cli;

import dev.waterfall.config.NumberValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UndoCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void undo_theNewestChange_putsBackTheOldValueAsANewChange() {
        cli.run("set", "server.port", "8080");
        cli.run("set", "server.port", "9090");

        Cli.Result result = cli.run("undo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("server.port  9090 -> 8080\nundid r2 (by cli ").endsWith(") as r3\n");
        assertThat(cli.run("get", "server.port").out()).isEqualTo("8080\n");
        assertThat(cli.run("undo").exitCode()).as("an undo is a change, and can be undone").isZero();
        assertThat(cli.run("get", "server.port").out()).isEqualTo("9090\n");
    }

    @Test
    void undo_ofACreationOrARemoval_removesOrRestoresTheKey() {
        cli.run("set", "kept", "1");
        cli.run("unset", "kept");
        assertThat(cli.run("undo").out()).startsWith("kept  (absent) -> 1\n");
        assertThat(cli.run("get", "kept").out()).isEqualTo("1\n");

        cli.run("set", "fresh", "true");
        assertThat(cli.run("undo", "fresh").out()).startsWith("fresh  true -> (removed)\n");
        assertThat(cli.run("get", "fresh").exitCode()).isEqualTo(1);
    }

    @Test
    void undo_ofAnOlderChange_overwritesNothingThatChangedSince() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        cli.run("set", "a", "3");

        Cli.Result result = cli.run("undo", "--revision", "2");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(cli.run("get", "a").out()).isEqualTo("3\n");
        assertThat(cli.run("undo", "--revision", "3").exitCode()).isZero();
        assertThat(cli.run("get", "a").out()).isEqualTo("2\n");
    }

    @Test
    void undo_ofAKey_takesTheNewestChangeOfThatKey_andDryRunWritesNothing() {
        cli.run("set", "a", "1");
        cli.run("set", "b", "1");
        cli.run("set", "a", "2");
        cli.run("set", "b", "2");

        Cli.Result dry = cli.run("undo", "a", "--dry-run");
        assertThat(dry.out()).isEqualTo("a  2 -> 1\nwould undo r3 (by " + dry.out().split("\\(by ")[1].split("\\)")[0] + "); nothing written\n");
        assertThat(cli.run("get", "a").out()).isEqualTo("2\n");

        Cli.Result json = cli.run("undo", "a", "--json");
        assertThat(json.at("undone")).isEqualTo(new NumberValue("3"));
        assertThat(json.at("revision")).isEqualTo(new NumberValue("5"));
        assertThat(json.text("changes.0.key")).isEqualTo("a");
        assertThat(cli.run("get", "a").out()).isEqualTo("1\n");
        assertThat(cli.run("get", "b").out()).isEqualTo("2\n");
    }

    @Test
    void undo_withNothingToUndo_orOfAChangeMadeOutsideWaterfall_isRefused() throws IOException {
        assertThat(cli.run("undo").exitCode()).isEqualTo(2);
        cli.run("set", "a", "1");
        Files.writeString(cli.defaultStore(), "{\"a\": 7}\n"); // by hand
        cli.run("set", "b", "1"); // records the hand edit as external

        Cli.Result result = cli.run("undo", "a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("outside waterfall", "cannot be undone");
        assertThat(cli.run("get", "a").out()).isEqualTo("7\n");
    }

    @Test
    void undo_ofASecret_printsNoValue() {
        cli.run("set", "db.password", "old-secret", "--plaintext-secret");
        cli.run("set", "db.password", "new-secret", "--plaintext-secret");

        Cli.Result result = cli.run("undo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("db.password  <redacted> -> <redacted>\n").doesNotContain("secret\"");
        assertThat(cli.run("get", "db.password").out()).isEqualTo("old-secret\n");
        assertThat(cli.run("history").out()).doesNotContain("old-secret").doesNotContain("new-secret");
    }
}
