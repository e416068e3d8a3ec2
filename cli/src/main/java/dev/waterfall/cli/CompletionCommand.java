package dev.waterfall.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code waterfall completion bash|zsh}: prints a script that teaches the shell to complete
 * {@code waterfall}'s commands, options and store schemes ({@code --store json:...}). The script is
 * picocli's {@link AutoComplete}, generated from the same command model that parses the command line
 * and writes the man pages, so a new command or option completes without anyone editing a script.
 *
 * <p>The script is made from the whole command line ({@link WaterfallCli#commandLine(World)}), not the
 * one {@link WaterfallCli#commandLine(World, String...)} builds for this command alone. Picocli's
 * script is a bash script that also runs under zsh (it loads zsh's {@code bashcompinit} itself), so
 * both shells get the same text; the zsh form only starts with a line saying how to load it
 * (docs/install.md).
 */
@Command(name = "completion",
        description = {
            "Prints the shell completion script for bash or zsh: commands, options and store schemes.",
            "bash: source <(waterfall completion bash)   (e.g. in ~/.bashrc)",
            "zsh:  source <(waterfall completion zsh)    (e.g. in ~/.zshrc)",
        })
final class CompletionCommand extends WaterfallCommand {

    /** The shells there is a script for. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine whole = WaterfallCli.commandLine(root().world());
        String script = AutoComplete.bash("waterfall", whole);
        if (shell == Shell.zsh) {
            out().print("# waterfall completion for zsh: load it with  source <(waterfall completion zsh)\n");
        }
        out().print(script);
        out().flush();
        return ExitCodes.OK;
    }
}
