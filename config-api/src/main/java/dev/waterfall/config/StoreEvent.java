package dev.waterfall.config;

import java.util.Set;

/**
 * A committed change seen by a {@linkplain ConfigStore#watch watch}.
 *
 * @param revision the store revision after the change
 * @param keys     the keys that changed, when the store can tell; empty when it only knows that
 *                 something changed
 */
public record StoreEvent(long revision, Set<Key> keys) {
    public StoreEvent {
        keys = Set.copyOf(keys);
    }
}
