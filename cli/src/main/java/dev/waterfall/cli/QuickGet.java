package dev.waterfall.cli;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code waterfall get KEY} without picocli: the one command that scripts run in loops
 * ({@code port=$(waterfall get server.port)}), where start-up is most of the time. Building
 * picocli's model of even one command reads its annotations through dynamic proxies, which the
 * start-up archive cannot hold, and costs about as much as the JVM's own start (see
 * {@code docs/benchmarks.md}, CLI startup).
 *
 * <p>Only a plain invocation is taken: {@code get} and one KEY, with the global options of
 * {@link WaterfallCli} before or after them, each at most once, as {@code --name value} or
 * {@code --name=value} with a value that does not look like an option; which options there are
 * and which take a value is {@link GlobalOption}'s table, the one picocli's model is built from. Anything else — help,
 * version, {@code --}, an {@code @argument-file}, an unknown or repeated option, a missing or extra
 * argument, a KEY that starts with {@code -} — is declined and left to picocli, which parses and
 * reports it. The command itself is {@link GetCommand#print}, and a failure is reported by
 * {@link Failures} with the exit codes of {@link ExitCodes}, so output and exit code are those of
 * the full command line.
 */
final class QuickGet {

    private QuickGet() {
    }

    /**
     * Runs {@code args} if they are a plain {@code get}, printing to {@code out} and {@code err},
     * and returns the exit code; empty, having printed nothing, if they are anything else.
     */
    static OptionalInt run(World world, PrintWriter out, PrintWriter err, String... args) {
        Plain plain = parse(world, args);
        if (plain == null) {
            return OptionalInt.empty();
        }
        WaterfallCli options = plain.options();
        try {
            return OptionalInt.of(GetCommand.print(options, plain.key(), out));
        } catch (Exception failure) {
            return OptionalInt.of(new Failures(options).report(failure, err, new ExitCodes()));
        }
    }

    /** A plain {@code get KEY}: the global options given, and the key as typed. */
    private record Plain(WaterfallCli options, String key) {
    }

    /** {@code args} as a plain {@code get KEY}, or null if they are anything else. */
    private static Plain parse(World world, String... args) {
        WaterfallCli options = new WaterfallCli(world);
        Set<GlobalOption> seen = EnumSet.noneOf(GlobalOption.class);
        int positionals = 0;
        String key = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                return null; // an argument file, which picocli expands
            }
            if (!arg.startsWith("-")) {
                positionals++;
                if ((positionals == 1 && !arg.equals("get")) || positionals > 2) {
                    return null;
                }
                if (positionals == 2) {
                    key = arg;
                }
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            String value = equals < 0 ? null : arg.substring(equals + 1);
            GlobalOption option = GlobalOption.named(name);
            if (option == null || !seen.add(option)) {
                return null; // --help, --version, --, an option picocli reports as unknown, or one given twice
            }
            if (!option.takesValue()) {
                if (value != null) {
                    return null;
                }
                option.set(options, Boolean.TRUE);
                continue;
            }
            if (value == null) {
                if (i + 1 == args.length) {
                    return null;
                }
                value = args[++i];
                if (value.equals("get")) {
                    return null; // the command's name as an option's value: picocli's to decide
                }
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            option.set(options, value);
        }
        return key != null ? new Plain(options, key) : null;
    }
}
