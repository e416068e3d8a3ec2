package dev.waterfall.file;

import dev.waterfall.config.Key;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.util.Objects;
import java.util.Optional;

/**
 * One change for a {@link DocumentCodec} to make: put a leaf value at a key, or remove the key.
 * The kernel has already checked the change (revisions, the leaf rule, the codec's normal form).
 *
 * @param key   the key
 * @param value the new value, or empty to remove the key
 */
public record Edit(Key key, Optional<Value> value) {
    public Edit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (value.isPresent() && value.get() instanceof TableValue) {
            throw new IllegalArgumentException("a table is not a leaf: " + key);
        }
    }

    /** Put {@code value} at {@code key}. */
    public static Edit put(Key key, Value value) {
        return new Edit(key, Optional.of(value));
    }

    /** Remove {@code key}. */
    public static Edit remove(Key key) {
        return new Edit(key, Optional.empty());
    }

    /** Whether this edit removes the key. */
    public boolean isRemove() {
        return value.isEmpty();
    }
}
