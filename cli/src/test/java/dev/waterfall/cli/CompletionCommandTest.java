package dev.waterfall.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waterfall completion bash|zsh}. That bash accepts the script, and completes with it, is
 * checked on the installed tool (distribution's TarballTest); here, what the script is made of.
 */
class CompletionCommandTest {

    @TempDir
    Path home;

    @Test
    void bash_completesEveryCommand_theGlobalOptions_andTheInstalledStoreSchemes() {
        Cli.Result result = new Cli(home).run("completion", "bash");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        String script = result.out();
        assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_waterfall");
        for (Class<?> command : WaterfallCli.COMMANDS) {
            String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(script).as(name).contains(name);
        }
        assertThat(script).contains("--store", "--app", "--json", "--if-revision");
        assertThat(script).as("the schemes of the backends on the test path")
                .contains("(\"json:\" \"ndjson:\" \"postgres:\" \"postgresql:\" \"sqlite:\" \"toml:\")");
    }

    @Test
    void zsh_isTheSameScript_withHowToLoadIt() {
        Cli cli = new Cli(home);
        String bash = cli.run("completion", "bash").out();
        Cli.Result zsh = cli.run("completion", "zsh");

        assertThat(zsh.exitCode()).isZero();
        List<String> lines = zsh.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("# waterfall completion for zsh: load it with  source <(waterfall completion zsh)");
        assertThat(zsh.out()).endsWith(bash).contains("bashcompinit");
    }

    @Test
    void anotherShell_isAUsageError_namingTheShellsThereAre() {
        Cli.Result result = new Cli(home).run("completion", "fish");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("fish").contains("bash, zsh");
    }
}
