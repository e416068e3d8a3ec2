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
