package dev.waterfall.cli;

import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every subcommand shares: the global options of {@link WaterfallCli}, the output writers
 * and the way to open the configuration. A subcommand implements {@link #call()} and returns its
 * exit code; failures are thrown and mapped by {@link ExitCodes}.
 */
abstract class WaterfallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The root command, which holds the global options. */
    final WaterfallCli root() {
        return (WaterfallCli) spec.root().userObject();
    }

    /** Whether {@code --json} was given. */
    final boolean json() {
        return root().json;
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Opens the configuration the global options describe; the caller closes it. */
    final Waterfall open() {
        return root().open(secretPolicy());
    }

    /** Which keys that look like secrets this command may write to a plaintext store: none, unless it has an option for it. */
    SecretPolicy secretPolicy() {
        return SecretPolicy.refuseSecrets();
    }

    /** Prints a warning on stderr, one line. */
    final void warn(String message) {
        err().println("waterfall: warning: " + root().scrub(message));
        err().flush();
    }

    /** Prints a note for people on stderr, where it does not disturb a script reading stdout. */
    final void note(String message) {
        err().println(message);
        err().flush();
    }
}
