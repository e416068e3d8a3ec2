package dev.waterfall.cli;

import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.UnknownStoreException;
import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorsAndHelpTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(home);
        Files.createDirectories(cli.defaultStore().getParent());
        Files.writeString(cli.defaultStore(), "{\n  \"a\": [1, 2\n}\n");
    }

    @Test
    void error_withoutVerbose_isOneLineWithoutAStackTrace() {
        Cli.Result result = cli.run("get", "a");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: " + cli.defaultStore() + ":3:1: ").doesNotContain("\tat ");
    }

    @Test
    void error_withVerbose_isTheLineThenTheStackTrace() {
        Cli.Result result = cli.run("get", "a", "--verbose");

        assertThat(result.exitCode()).isEqualTo(3);
        String[] lines = result.err().split("\n");
        assertThat(lines[0]).startsWith("waterfall: " + cli.defaultStore() + ":3:1: ");
        assertThat(lines[1]).startsWith("dev.waterfall.config.StoreBrokenException: ");
        assertThat(result.err()).contains("\tat dev.waterfall.");
    }

    @Test
    void usageError_withVerbose_alsoPrintsTheStackTrace() {
        Cli.Result result = cli.run("--verbose", "get");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("waterfall: Missing required parameter: 'KEY'").contains("picocli.CommandLine$Interpreter.");
    }

    @Test
    void unknownCommand_exits2ListingTheCommands() {
        Cli.Result result = cli.run("gte", "a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("waterfall: unknown command 'gte'; the commands are get, set, unset, list, explain, "
                + "history, undo, watch, serve, backups, doctor, schema, export, import, migrate, secret, completion, help (see 'waterfall --help')\n");
    }

    @Test
    void unknownOption_exits2NamingIt() {
        Cli.Result result = cli.run("get", "a", "--jsn");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: unknown option '--jsn'").endsWith("(see 'waterfall get --help')\n");
    }

    @Test
    void extraArgument_exits2() {
        Cli.Result result = cli.run("get", "a", "b");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("waterfall: unexpected argument 'b' (see 'waterfall get --help')\n");
    }

    @Test
    void noCommand_printsTheUsageOnStderrAndExits2() {
        Cli.Result result = cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Usage: waterfall ");
    }

    @Test
    void help_listsEveryCommandAndTheExitCodes() {
        Cli.Result result = cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("get", "set", "unset", "list", "explain", "history", "backups", "doctor")
                .contains("Exit codes:", "   0   ok", "   1   not found", "   2   usage", "   3   store broken", "   4   conflict",
                        "  70   internal error")
                .contains("--app=NAME", "--store=URI", "--json", "--verbose", "--defaults=FILE", "--system-file=FILE");
    }

    @Test
    void subcommandHelp_alsoListsTheExitCodes() {
        Cli.Result result = cli.run("set", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: waterfall set ").contains("--if-revision=N", "--string", "Exit codes:");
    }

    @Test
    void helpCommand_showsTheHelpOfACommand() {
        assertThat(cli.run("help", "explain").out()).startsWith("Usage: waterfall explain ");
    }

    @Test
    void version_namesTheVersionAndTheJvm() {
        Cli.Result result = cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("waterfall ").doesNotContain("${").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void invalidPathInAnOption_exits2() {
        Cli.Result result = cli.run("get", "a", "--defaults", "bad\0path.json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1);
    }

    @Test
    void exitCodes_mapEveryFailure() {
        ExitCodes codes = new ExitCodes();
        Key key = Key.of("a.b");

        assertThat(codes.getExitCode(new NotFoundException("a"))).isEqualTo(1);
        assertThat(codes.getExitCode(new InvalidKeyException("a b", "space"))).isEqualTo(2);
        assertThat(codes.getExitCode(new InvalidValueException("bad"))).isEqualTo(2);
        assertThat(codes.getExitCode(new KeyConflictException(key, Key.of("a")))).isEqualTo(2);
        assertThat(codes.getExitCode(new UnknownStoreException("x:y", "x", Set.of("json")))).isEqualTo(2);
        assertThat(codes.getExitCode(new StoreBrokenException("f", 1, 1, "bad"))).isEqualTo(3);
        assertThat(codes.getExitCode(new StoreUnavailableException("down"))).isEqualTo(3);
        assertThat(codes.getExitCode(new WaterfallException("other store failure"))).isEqualTo(3);
        assertThat(codes.getExitCode(new RevisionConflictException(key, 1, 2))).isEqualTo(4);
        assertThat(codes.getExitCode(new NullPointerException())).isEqualTo(70);
    }

    @Test
    void oneLine_joinsTheLinesOfAMessage() {
        assertThat(WaterfallCli.oneLine("first\n  second\r\nthird ")).isEqualTo("first second third");
    }
}
