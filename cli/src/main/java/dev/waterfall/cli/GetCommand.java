package dev.waterfall.cli;

import dev.waterfall.config.Key;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * {@code waterfall get KEY}: the key's value as the waterfall resolves it. A string prints as its
 * text, anything else as JSON, so {@code $(waterfall get name)} is the bare name and
 * {@code waterfall get ports} is {@code [80,443]}.
 */
@Command(name = "get",
        description = {
            "Prints the value of KEY from the highest layer that has it (env > store > system file > defaults): "
                    + "a string as plain text, any other value as JSON. With --json: the value, its type, its origin "
                    + "and, when the store supplied it, its revision, update time and author.",
            "References in a string (${key}, ${key:default}, ${env:NAME}, ${secret:NAME}) are expanded; --raw prints "
                    + "the value as written. A reference that cannot be expanded (a cycle, a key with no value and no default) "
                    + "exits with 2, naming the chain.",
            "Exits with 1 when no layer has the key.",
        })
final class GetCommand extends WaterfallCommand {

    @Parameters(paramLabel = "KEY", description = "A dotted key, e.g. server.port.")
    String key;

    @Option(names = "--raw", description = "Print the value as its layer holds it: references unexpanded, a secret reference as written.")
    boolean raw;

    @Override
    public Integer call() {
        return print(root(), key, raw, out());
    }

    /** {@link #print(WaterfallCli, String, boolean, PrintWriter)}, references expanded. */
    static int print(WaterfallCli options, String key, PrintWriter out) {
        return print(options, key, false, out);
    }

    /**
     * Prints {@code key}'s value in the configuration that {@code options} (the global options)
     * describe, as {@code get} does, and returns the exit code; failures are thrown. Shared with
     * {@link QuickGet}, which runs a plain {@code get} without building picocli's model.
     */
    static int print(WaterfallCli options, String key, boolean raw, PrintWriter out) {
        Key parsed = Key.of(key);
        try (Waterfall waterfall = options.open()) {
            if (!options.json && !raw) {
                // the value alone: the store's metadata (revision, time, author) is not read for it; a
                // profile or a ${reference} takes Waterfall.value to the full resolution
                Value value = waterfall.value(parsed).orElseThrow(() -> notFound(waterfall, parsed));
                out.println(value instanceof StringValue string ? string.value() : value.toJson());
                out.flush();
                return ExitCodes.OK;
            }
            Optional<Resolved> found = raw ? waterfall.raw(parsed) : waterfall.get(parsed);
            if (found.isEmpty()) {
                throw notFound(waterfall, parsed);
            }
            Resolved resolved = found.get();
            if (options.json) {
                JsonOutput.write(out, output -> output.resolved(resolved));
            } else {
                out.println(resolved.asText());
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    /** The failure for a key no layer has, naming every place that was looked at. */
    static NotFoundException notFound(Waterfall waterfall, Key key) {
        return new NotFoundException(key + " has no value: not in the environment ("
                + (key.isBare() ? waterfall.envVariable(key) : "no variable: a key with a quoted segment has none")
                + ") nor the store (" + waterfall.store().location() + ") nor any system file or defaults given; "
                + "set it with `waterfall set " + ShellWords.of(key) + " VALUE`");
    }
}
