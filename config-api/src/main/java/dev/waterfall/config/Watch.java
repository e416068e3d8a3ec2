package dev.waterfall.config;

import java.util.List;

/**
 * A running {@linkplain Waterfall#watch(String, java.util.function.Consumer) watch} of the keys
 * under a prefix. Close it to stop being told; the last watch of a {@link Waterfall} to close stops
 * its threads.
 */
public interface Watch extends AutoCloseable {

    /** The prefix watched ({@code ""} for every key). */
    String prefix();

    /**
     * The resolved keys under the prefix as the watch last saw them, sorted by key: when it began,
     * or after the last change it reported. A {@code ${secret:NAME}} value is left as that reference.
     */
    List<Resolved> current();

    /** Stops the watch; no call to its listener starts after this returns (one running may finish). */
    @Override
    void close();
}
