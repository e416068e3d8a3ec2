package dev.waterfall.cli;

import dev.waterfall.config.spi.Echo;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * How {@code waterfall} reports a failure: one line on stderr, {@code waterfall: <what is wrong
 * and what to do>}, then the stack trace only with {@code --verbose}; the exit code comes from
 * {@link ExitCodes}. Bad usage (picocli's parse errors, and {@link CommandLine.ParameterException}s
 * thrown by commands) also points at the command's {@code --help}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    private final WaterfallCli root;

    /** Failures of the command line whose root command is {@code root} (which knows {@code --verbose}). */
    Failures(WaterfallCli root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, CommandLine.ParseResult parseResult) {
        return report(failure, command.getErr(), command.getExitCodeExceptionMapper());
    }

    /**
     * Reports a command's failure on {@code err} and returns its exit code from {@code codes}: what
     * picocli's execution-exception handler does, for {@link QuickGet} too.
     */
    int report(Exception failure, PrintWriter err, CommandLine.IExitCodeExceptionMapper codes) {
        int code = codes.getExitCode(failure);
        String message = failure.getMessage() == null || failure.getMessage().isBlank()
                ? failure.getClass().getName() : failure.getMessage();
        if (code == ExitCodes.INTERNAL) {
            message = "internal error: " + failure.getClass().getName() + ": " + message
                    + (root.verbose ? "" : " (run again with --verbose for the stack trace, and please report it)");
        }
        err.println("waterfall: " + root.scrub(message));
        if (root.verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        String message = failure.getMessage();
        if (failure instanceof CommandLine.UnmatchedArgumentException unmatched) {
            message = unmatched(command, unmatched);
        }
        err.println("waterfall: " + root.scrub(message) + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        if (root.verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * The optimal-string-alignment distance of two words (edits, counting a swap of neighbours as
     * one): picocli suggests any command sharing a pair of letters ('gte' -> 'migrate'), so only
     * suggestions a typo away are kept.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code unknown command 'gte'; the commands are ...} rather than picocli's "Unmatched argument at index 0". */
    private static String unmatched(CommandLine command, CommandLine.UnmatchedArgumentException failure) {
        List<String> unmatched = failure.getUnmatched();
        String first = unmatched.isEmpty() ? "" : Echo.of(unmatched.get(0));
        List<String> suggestions = failure.getSuggestions().stream().filter(suggestion -> distance(first, suggestion) <= 2).toList();
        String hint = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
        if (first.startsWith("-")) {
            return "unknown option '" + first + "'" + hint;
        }
        if (!command.getSubcommands().isEmpty() && command.getParseResult() != null
                && command.getParseResult().originalArgs().indexOf(first) >= 0
                && !command.getParseResult().hasSubcommand()) {
            return "unknown command '" + first + "'" + (hint.isEmpty()
                    ? "; the commands are " + String.join(", ", command.getSubcommands().keySet()) : hint);
        }
        return "unexpected argument" + (unmatched.size() > 1 ? "s " : " ") + "'" + String.join("' '", unmatched.stream().map(Echo::of)
                .toList()) + "'" + hint;
    }
}
