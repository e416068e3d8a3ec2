package dev.waterfall.cli;

import dev.waterfall.config.Change;
import dev.waterfall.config.Key;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waterfall unset KEY}: removes a key from the user's store, so the system file's or the
 * defaults' value shows through again. Removing an absent key succeeds and changes nothing.
 */
@Command(name = "unset",
        description = {
            "Removes KEY from the user's store, so the system file's or the defaults' value shows through again. "
                    + "Removing an absent key succeeds and changes nothing.",
        })
final class UnsetCommand extends WaterfallCommand {

    @Parameters(paramLabel = "KEY", description = "A dotted key, e.g. server.port.")
    String key;

    @Option(names = "--if-revision", paramLabel = "N",
            description = "Compare-and-set: remove only if KEY is still at revision N (from `get --json`). "
                    + "Exits with 4 if another writer changed it.")
    Long ifRevision;

    @Override
    public Integer call() {
        Key parsed = root().writtenKey(Key.of(key));
        Change.Unset change = Change.unset(parsed);
        if (ifRevision != null) {
            change = change.ifRevision(Revisions.expected(spec, ifRevision));
        }
        try (Waterfall waterfall = open()) {
            WriteResult result = waterfall.apply(change);
            result.warnings().forEach(this::warn);
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startObject();
                    output.field("key", parsed.path());
                    output.field("changed", result.changed());
                    output.startArray("warnings");
                    for (String warning : result.warnings()) {
                        output.generator().writeString(warning);
                    }
                    output.endArray();
                    output.endObject();
                });
            }
        }
        return ExitCodes.OK;
    }
}
