package dev.waterfall.config;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to one key, as the store's history keeps it.
 *
 * @param revision the store revision of the write that made the change
 * @param at       when
 * @param by       who; {@link Actor#EXTERNAL} for a change Waterfall found rather than made
 * @param key      the key
 * @param oldValue the value before, empty if the key was absent (or unknown, for an external change
 *                 whose previous value was not recorded)
 * @param newValue the value after, empty if the change removed the key
 */
public record HistoryRecord(long revision, Instant at, Actor by, Key key, Optional<Value> oldValue, Optional<Value> newValue) {
    public HistoryRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
    }

    /** Whether the change removed the key. */
    public boolean isUnset() {
        return newValue.isEmpty();
    }
}
