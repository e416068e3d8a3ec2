package dev.waterfall.config.spi;

import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;

import java.util.NavigableSet;
import java.util.Optional;

/**
 * The leaf rule every store enforces: a key holds a value or is a table of other keys, never
 * both. Helpers for stores that keep their keys in a sorted set.
 */
public final class KeyTree {

    private KeyTree() {
    }

    /**
     * The stored key that {@code key} would collide with: a stored ancestor that holds a value,
     * or a stored key under {@code key}. Empty if {@code key} may be set.
     */
    public static Optional<Key> conflict(NavigableSet<Key> stored, Key key) {
        for (Key ancestor : key.ancestors()) {
            if (stored.contains(ancestor)) {
                return Optional.of(ancestor);
            }
        }
        Key after = stored.higher(key);
        if (after != null && key.isAncestorOf(after)) {
            return Optional.of(after);
        }
        // Keys between "a.b" and "a.b." in string order (e.g. "a.b-c") are not under "a.b"; look past them.
        for (Key candidate : stored.tailSet(key, false)) {
            if (key.isAncestorOf(candidate)) {
                return Optional.of(candidate);
            }
            if (!candidate.path().startsWith(key.path())) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Checks that {@code key} may be set among {@code stored}.
     *
     * @throws KeyConflictException naming the colliding key
     */
    public static void checkSettable(NavigableSet<Key> stored, Key key) {
        Optional<Key> conflict = conflict(stored, key);
        if (conflict.isPresent()) {
            throw new KeyConflictException(key, conflict.get());
        }
    }
}
