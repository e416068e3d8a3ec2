package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.NullValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void backups_afterWrites_listsTheVersionsWaterfallWroteNewestFirst() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        cli.run("set", "a", "3");

        Cli.Result result = cli.run("backups", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3).allMatch(line -> line.matches("config\\.\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\.json  \\S+Z  \\d+ bytes  ok"));
        assertThat(cli.run("backups").out()).as("`backups` alone lists").isEqualTo(result.out());
    }

    @Test
    void backups_cleanInstall_listsNothingWithANote() {
        Cli.Result result = cli.run("backups");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("(no backups yet of json:");
    }

    @Test
    void backupsRestore_brokenFile_restoresTheLastWrite_saysItTookBackNothing_andMovesTheBrokenFileAside() throws IOException {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        Files.writeString(cli.defaultStore(), "{\"a\": 2,,}");
        assertThat(cli.run("get", "a").exitCode()).isEqualTo(3);
        assertThat(cli.run("backups", "list").exitCode()).as("listing works on a broken store").isZero();

        Cli.Result result = cli.run("backups", "restore");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("moved the broken file aside to " + cli.defaultStore() + ".broken-");
        assertThat(lines.get(1)).matches("restored config\\.\\S+\\.json \\(kept at \\S+Z\\); the store is at revision \\d+");
        assertThat(lines.get(2)).isEqualTo("it took back no recorded change");
        Path aside = Path.of(lines.get(0).substring("moved the broken file aside to ".length()));
        assertThat(aside).hasContent("{\"a\": 2,,}");
        // issue 15, item 3: before, this restored a = 1 and the write of a = 2 was silently gone
        assertThat(cli.run("get", "a").out()).isEqualTo("2\n");
        assertThat(cli.run("history", "a", "-n", "1").out()).contains("a  (absent) -> 2  by cli");
    }

    @Test
    void backupsRestore_byName_restoresThatVersion() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        cli.run("set", "a", "3");
        String oldest = cli.run("backups").out().lines().reduce((first, second) -> second).orElseThrow().split("  ")[0];

        Cli.Result result = cli.run("backups", "restore", oldest);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().toList()).endsWith("it took back 2 recorded changes (see `waterfall history`):", "  r2  a", "  r3  a");
        assertThat(cli.run("get", "a").out()).isEqualTo("1\n");
    }

    @Test
    void backupsRestore_unknownName_isAUsageError_namingIt_andChangesNothing() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");

        Cli.Result result = cli.run("backups", "restore", "config.nope.json");

        assertThat(result.exitCode()).as("a request naming no backup, not a broken store").isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains("no backup named config.nope.json", "waterfall backups list");
        assertThat(cli.run("get", "a").out()).isEqualTo("2\n");
    }

    @Test
    void backups_json_listsNameTimeSizeAndValidity() {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");

        Cli.Result result = cli.run("--json", "backups", "list");

        assertThat(((ArrayValue) result.json()).items()).hasSize(2);
        assertThat(result.text("0.name")).startsWith("config.");
        assertThat(result.text("0.location")).startsWith(cli.defaultStore().getParent().toString());
        assertThat(result.text("0.takenAt")).endsWith("Z");
        assertThat(result.at("0.valid")).isEqualTo(BooleanValue.TRUE);
        assertThat(result.at("0.problem")).isEqualTo(NullValue.INSTANCE);
    }

    @Test
    void backupsRestore_json_saysWhatWasRestored() throws IOException {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        Files.writeString(cli.defaultStore(), "");

        Cli.Result result = cli.run("backups", "restore", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.text("restored")).startsWith("config.");
        assertThat(result.text("movedAsideTo")).startsWith(cli.defaultStore() + ".broken-");
        assertThat(result.text("takenAt")).endsWith("Z");
        assertThat(((ArrayValue) result.at("takenBack")).items()).isEmpty();
    }
}
