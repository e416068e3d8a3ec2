package dev.waterfall.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a write through {@link Waterfall} did, and what the caller should know about it.
 *
 * @param key      the key written
 * @param entry    the stored entry after a set; empty after an unset
 * @param changed  whether the store changed (setting the same value, or unsetting an absent key, does not)
 * @param warnings things the user should be told, e.g. that an environment variable overrides the
 *                 value just stored
 */
public record WriteResult(Key key, Optional<Entry> entry, boolean changed, List<String> warnings) {
    public WriteResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(entry, "entry");
        warnings = List.copyOf(warnings);
    }
}
