package dev.waterfall.config.engine;

import dev.waterfall.config.Entry;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.WaterfallException;

/**
 * The bound on revisions ({@link Entry#MAX_REVISION}) as every store applies it, on every way a
 * revision comes in (copies, imports, migrations, lines and rows another program wrote, hand-edited
 * metadata) and before a write assigns the next one. Without it, a copy at revision
 * {@code 2^63-1} was accepted and the next write wrapped to a negative revision, after which the
 * NDJSON log no longer read, SQLite refused every write and the file stores went negative
 * (issue 15, item 2). Each check throws before anything is written.
 */
public final class Revisions {

    private Revisions() {
    }

    /** Whether {@code revision} is one a store may hold: 1 to {@link Entry#MAX_REVISION}. */
    public static boolean inRange(long revision) {
        return revision >= 1 && revision <= Entry.MAX_REVISION;
    }

    /**
     * Refuses a revision that comes in from outside (a copy's, a dump row's) above the bound.
     *
     * @param what what holds it, for the message (e.g. "the copy", "entry a.b")
     * @throws InvalidValueException naming it, if {@code revision} is above {@link Entry#MAX_REVISION}
     */
    public static long checkIncoming(long revision, String what) {
        if (revision > Entry.MAX_REVISION) {
            throw new InvalidValueException(what + " has revision " + revision + ", above " + Entry.MAX_REVISION
                    + " (2^53-1), the highest Waterfall assigns; nothing was written: it was not made by Waterfall, fix its revisions");
        }
        return revision;
    }

    /**
     * The revision after {@code current}, for the next write to {@code store}.
     *
     * @throws WaterfallException if that would pass {@link Entry#MAX_REVISION}; nothing is written
     */
    public static long next(long current, String store) {
        if (current >= Entry.MAX_REVISION || current < 0) {
            throw new WaterfallException(store + " is at revision " + current + ", and " + Entry.MAX_REVISION
                    + " (2^53-1) is the highest Waterfall assigns; nothing was written. Copy its values into a new store "
                    + "(waterfall export, then import into a new store) to start again from revision 1");
        }
        return current + 1;
    }
}
