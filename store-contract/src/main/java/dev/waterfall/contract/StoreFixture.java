package dev.waterfall.contract;

import java.nio.file.Path;

/**
 * How a backend's tests give the contract suites a store: a fresh, empty store per call, and the few
 * facts in which stores may differ.
 */
public interface StoreFixture {

    /**
     * The URI of a new, empty store for one test. File stores put it inside {@code dir} (a fresh
     * temporary folder); database stores use a fresh database file or namespace.
     */
    String newStoreUri(Path dir);

    /** Whether the store keeps date-time types (TOML, SQL) rather than their ISO-8601 strings (JSON). */
    default boolean keepsDateTimes() {
        return true;
    }

    /** Whether the store can hold {@code inf}, {@code -inf} and {@code nan}. */
    default boolean holdsNonFiniteNumbers() {
        return true;
    }

    /**
     * Whether the store can hold {@code null}, alone or inside an array or table. A store that
     * cannot (TOML has no null) refuses it with an {@link dev.waterfall.config.InvalidValueException}
     * that names the key and says what to store instead.
     */
    default boolean holdsNull() {
        return true;
    }

    /**
     * Whether the store can hold integers beyond 64 bits, such as {@code 2^127}. A store that cannot
     * (TOML's integers are 64-bit) refuses them with an {@link dev.waterfall.config.InvalidValueException}
     * that names the key and the number.
     */
    default boolean holdsIntegersBeyond64Bits() {
        return true;
    }

    /**
     * Whether the store is a plaintext file people read (JSON, TOML, NDJSON), which refuses keys that
     * look like secrets unless they are allowed (docs/secrets.md); database stores hold them.
     */
    default boolean isPlaintext() {
        return false;
    }

    /** Whether opening and reading a store leaves no trace on disk until the first write (true for file stores). */
    default boolean createsNothingBeforeFirstWrite() {
        return true;
    }
}
