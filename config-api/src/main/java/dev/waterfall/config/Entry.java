package dev.waterfall.config;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored key with its value and metadata.
 *
 * @param key       the key
 * @param value     its value, never a {@link TableValue}
 * @param revision  the store revision at which the key last changed; pass it to a
 *                  compare-and-set to write only if nobody changed the key since
 * @param updatedAt when it last changed
 * @param updatedBy who changed it; {@link Actor#EXTERNAL} when it was changed outside Waterfall
 * @param line      the 1-based line in the store's file that holds it, or 0 where a store has no lines
 */
public record Entry(Key key, Value value, long revision, Instant updatedAt, Actor updatedBy, int line) {

    /**
     * The highest revision a store ever assigns: 2<sup>53</sup> &minus; 1, the largest whole number
     * every JSON reader keeps exactly (JavaScript's {@code Number.MAX_SAFE_INTEGER}), so a revision
     * printed by {@code get --json} or written into a dump reads back as itself anywhere. Stores
     * refuse a revision above it on every way in (imports, copies, lines and rows written by other
     * programs) and refuse a write that would go past it, before anything is written.
     */
    public static final long MAX_REVISION = (1L << 53) - 1;

    /**
     * The revision of a value a file store found changed outside Waterfall and could not record
     * (the reader may not take the store's lock, e.g. a read-only folder). It is above
     * {@link #MAX_REVISION}, so no store ever assigns it and a compare-and-set that names it always
     * conflicts: a revision must name exactly one content, and this one names none. The next write
     * records the change with a real revision.
     */
    public static final long UNRECORDED = Long.MAX_VALUE;

    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    /** This entry at another line. */
    public Entry withLine(int newLine) {
        return new Entry(key, value, revision, updatedAt, updatedBy, newLine);
    }
}
