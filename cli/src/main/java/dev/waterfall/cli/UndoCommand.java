package dev.waterfall.cli;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Commit;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code waterfall undo [KEY] [--revision N]}: takes back one recorded change, as a new change. The
 * keys it touched get their values from before it (a key it created is removed, one it removed
 * comes back), each with a compare-and-set on the revision that change gave it, so nothing that
 * changed since is overwritten: a later change makes the undo fail with exit code 4 and write
 * nothing.
 */
@Command(name = "undo",
        description = {
            "Takes back the newest recorded change (of KEY and the keys under it, if given), or the change at --revision N, "
                    + "as a new change: the keys it touched get their values from before it (a key it created is removed). "
                    + "Nothing that changed since is overwritten: then it exits with 4 and writes nothing. "
                    + "A change made outside waterfall cannot be undone (its old value is not known).",
        })
final class UndoCommand extends WaterfallCommand {

    /** How far back in the history the records of one change are looked for. */
    private static final int SEARCH = 10_000;

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "Undo the newest change of this key (and the keys under it).")
    String key;

    @Option(names = "--revision", paramLabel = "N", description = "Undo the change that made store revision N (see `waterfall history`).")
    Long revision;

    @Option(names = "--dry-run", description = "Print what would be undone; write nothing.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    SecretDisplay secretDisplay;

    @Override
    SecretPolicy secretPolicy() {
        return SecretPolicy.allowingAll(); // an undo puts back what the store held
    }

    @Override
    public Integer call() {
        Optional<Key> under = Optional.ofNullable(key).map(Key::of);
        try (Waterfall waterfall = open()) {
            ConfigStore store = waterfall.store();
            List<HistoryRecord> recent = store.history(new HistoryQuery(under, SEARCH));
            long target = revision != null ? revision : recent.isEmpty() ? -1 : recent.get(0).revision();
            List<HistoryRecord> change = new ArrayList<>();
            for (HistoryRecord record : recent) {
                if (record.revision() == target) {
                    change.add(record);
                }
            }
            if (change.isEmpty()) {
                throw new ParameterException(spec.commandLine(), (revision != null ? "no recorded change at revision " + revision
                        : "no recorded change") + under.map(k -> " of " + k).orElse("") + " in " + store.location()
                        + " (see `waterfall history`)");
            }
            List<Change> batch = new ArrayList<>();
            for (HistoryRecord record : change) {
                if (record.by().isExternal()) {
                    throw new ParameterException(spec.commandLine(), "r" + target + " changed " + record.key() + " outside waterfall; "
                            + "its old value is not known, so it cannot be undone (set the key by hand)");
                }
                long expected = record.newValue().isPresent() ? target : Change.ABSENT;
                batch.add(record.oldValue().isPresent()
                        ? Change.set(record.key(), record.oldValue().get()).ifRevision(expected)
                        : Change.unset(record.key()).ifRevision(expected));
            }
            Commit commit = dryRun ? null : store.apply(batch);
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startObject();
                    output.field("undone", target);
                    output.field("dryRun", dryRun);
                    if (commit != null) {
                        output.field("revision", commit.revision());
                    }
                    output.startArray("changes");
                    for (HistoryRecord record : change) {
                        output.startObject();
                        output.field("key", record.key().path());
                        boolean secret = secretDisplay.redacts(record.key());
                        SecretDisplay.typedValueField(output, "from", record.newValue(), secret);
                        SecretDisplay.typedValueField(output, "to", record.oldValue(), secret);
                        output.endObject();
                    }
                    output.endArray();
                    output.endObject();
                });
                return ExitCodes.OK;
            }
            for (HistoryRecord record : change) {
                boolean secret = secretDisplay.redacts(record.key());
                out().println(record.key() + "  " + SecretDisplay.shown(record.newValue(), secret, "(absent)") + " -> "
                        + SecretDisplay.shown(record.oldValue(), secret, "(removed)"));
            }
            out().println(dryRun ? "would undo r" + target + " (by " + change.get(0).by() + "); nothing written"
                    : "undid r" + target + " (by " + change.get(0).by() + ") as r" + commit.revision());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
