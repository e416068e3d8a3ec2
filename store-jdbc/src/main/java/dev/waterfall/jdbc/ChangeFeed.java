package dev.waterfall.jdbc;

import dev.waterfall.config.StoreEvent;

import java.util.function.Consumer;

/**
 * Change notifications a database pushes (PostgreSQL's {@code LISTEN/NOTIFY}), for a
 * {@link SqlStore}'s {@link SqlStore#watch watch}. Without one, a store polls.
 */
@FunctionalInterface
public interface ChangeFeed {

    /**
     * Calls {@code listener} on a thread of the feed's after each committed change of the store's
     * namespace, from any process, until the returned handle is closed.
     */
    AutoCloseable subscribe(Consumer<StoreEvent> listener);
}
