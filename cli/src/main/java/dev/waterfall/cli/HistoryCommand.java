package dev.waterfall.cli;

import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code waterfall history [KEY]}: the store's recorded changes, newest first: revision, time
 * (UTC), key, old and new value, and who made the change.
 */
@Command(name = "history",
        description = {
            "Shows the store's recorded changes, newest first (of KEY and the keys under it, if given): revision, "
                    + "time (UTC), key, old -> new value, and who made the change (surface, user@host, pid; "
                    + "'external' for an edit made outside waterfall). The values of keys that look like secrets "
                    + "(password, token, api_key, ...) show as <redacted> unless --show-secrets.",
        })
final class HistoryCommand extends WaterfallCommand {

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "Only changes of this key and the keys under it.")
    String key;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
            description = "Show at most N changes (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    SecretDisplay secretDisplay;

    @Override
    public Integer call() {
        if (limit <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        Optional<Key> parsed = Optional.ofNullable(key).map(Key::of);
        try (Waterfall waterfall = open()) {
            List<HistoryRecord> records = waterfall.store().history(new HistoryQuery(parsed, limit));
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startArray();
                    for (HistoryRecord record : records) {
                        json(output, record, redacted(record));
                    }
                    output.endArray();
                });
                return ExitCodes.OK;
            }
            for (HistoryRecord record : records) {
                out().println(line(record, redacted(record)));
            }
            out().flush();
            if (records.isEmpty()) {
                note("(no recorded changes" + parsed.map(k -> " of " + k).orElse("") + " in " + waterfall.store().location() + ")");
            }
        }
        return ExitCodes.OK;
    }

    private boolean redacted(HistoryRecord record) {
        return secretDisplay.redacts(record.key());
    }

    /** A record as one line: {@code r12  <time>  key  old -> new  by <actor>}, the values shown as {@code <redacted>} if asked. */
    static String line(HistoryRecord record, boolean redacted) {
        return "r" + record.revision() + "  " + record.at().truncatedTo(ChronoUnit.SECONDS) + "  " + record.key()
                + "  " + SecretDisplay.shown(record.oldValue(), redacted, "(absent)")
                + " -> " + SecretDisplay.shown(record.newValue(), redacted, "(removed)")
                + "  by " + record.by();
    }

    /** A record as a JSON object: {@code revision}, {@code at}, {@code key}, {@code old} and {@code new} (or {@code redacted}), {@code by}. */
    static void json(JsonOutput output, HistoryRecord record, boolean redacted) throws java.io.IOException {
        output.startObject();
        output.field("revision", record.revision());
        output.field("at", record.at());
        output.field("key", record.key().path());
        if (redacted) {
            output.field("redacted", true);
        } else {
            output.typedValueField("old", record.oldValue());
            output.typedValueField("new", record.newValue());
        }
        output.actorField("by", record.by());
        output.endObject();
    }
}
