package dev.waterfall.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code --if-revision N} option's rule, shared by {@code set} and {@code unset}. */
final class Revisions {

    private Revisions() {
    }

    /**
     * The expected revision for a compare-and-set: {@code N} as given, 0 meaning "absent".
     *
     * @throws CommandLine.ParameterException if {@code N} is negative
     */
    static long expected(CommandSpec spec, long revision) {
        if (revision < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--if-revision must be 0 (the key must be absent) "
                    + "or a revision from `waterfall get --json`, not " + revision);
        }
        return revision;
    }
}
