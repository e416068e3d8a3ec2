package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code waterfall watch [PREFIX]}: prints each change of the store as it is committed, by any
 * process, until stopped. Built on {@link ConfigStore#watch} (PostgreSQL's notifications, the other
 * stores' polling of a {@code stat}), then the store's history for what changed: lines as
 * {@code history} prints them, oldest first, or one JSON object per line with {@code --json}.
 */
@Command(name = "watch",
        description = {
            "Prints each change of the store as it is committed, by any process, until stopped (Ctrl-C or SIGTERM): "
                    + "one line per changed key as `history` prints them, oldest first (of PREFIX and the keys under it, "
                    + "if given), or with --json one JSON object per line. The values of keys that look like secrets show "
                    + "as <redacted> unless --show-secrets.",
        })
final class WatchCommand extends WaterfallCommand {

    /** How many of the newest history records one look takes: more changes than this between two looks are summarised. */
    private static final int LOOK = 10_000;

    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "Only changes of this key and the keys under it.")
    String prefix;

    @Option(names = "--since", paramLabel = "N", description = "First print the recorded changes after store revision N.")
    Long since;

    @Mixin
    SecretDisplay secretDisplay;

    @Override
    public Integer call() throws Exception {
        Optional<Key> under = Optional.ofNullable(prefix).map(Key::of);
        try (Waterfall waterfall = open()) {
            ConfigStore store = waterfall.store();
            BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
            try (AutoCloseable watch = store.watch(events::add)) {
                long seen = store.snapshot().revision();
                note("watching " + store.location() + under.map(key -> " (" + key + " and under)").orElse("") + " from revision " + seen
                        + "; Ctrl-C stops");
                if (since != null && since < seen) {
                    print(store, under, since, seen);
                }
                while (true) {
                    StoreEvent event = events.take();
                    events.clear(); // what the history says covers every event so far
                    seen = print(store, under, seen, Math.max(event.revision(), seen));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.OK;
            }
        }
    }

    /** Prints the recorded changes after revision {@code after}; returns the revision now seen (at least {@code upTo}). */
    private long print(ConfigStore store, Optional<Key> under, long after, long upTo) {
        List<HistoryRecord> newest = store.history(new HistoryQuery(under, LOOK));
        List<HistoryRecord> fresh = new ArrayList<>();
        for (HistoryRecord record : newest) {
            if (record.revision() <= after) {
                break;
            }
            fresh.add(record);
        }
        Collections.reverse(fresh);
        long seen = upTo;
        for (HistoryRecord record : fresh) {
            boolean redacted = secretDisplay.redacts(record.key());
            if (json()) {
                JsonOutput.writeLine(out(), output -> HistoryCommand.json(output, record, redacted));
            } else {
                out().println(HistoryCommand.line(record, redacted));
            }
            seen = Math.max(seen, record.revision());
        }
        if (fresh.size() == LOOK) {
            note("(more than " + LOOK + " changes since revision " + after + "; the older ones are not shown, see `waterfall history`)");
        }
        out().flush();
        return seen;
    }
}
