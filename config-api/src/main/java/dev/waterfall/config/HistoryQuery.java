package dev.waterfall.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Which history records to return: all keys or the keys at and under one key, newest first, at most
 * {@code limit}.
 */
public record HistoryQuery(Optional<Key> key, int limit) {

    /** The default number of records returned. */
    public static final int DEFAULT_LIMIT = 100;

    public HistoryQuery {
        Objects.requireNonNull(key, "key");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /** The newest {@value #DEFAULT_LIMIT} records of all keys. */
    public static HistoryQuery all() {
        return new HistoryQuery(Optional.empty(), DEFAULT_LIMIT);
    }

    /** The newest {@value #DEFAULT_LIMIT} records of {@code key} and the keys under it. */
    public static HistoryQuery of(Key key) {
        return new HistoryQuery(Optional.of(key), DEFAULT_LIMIT);
    }

    /** This query with another limit. */
    public HistoryQuery limit(int newLimit) {
        return new HistoryQuery(key, newLimit);
    }

    /** Whether a record of {@code recordKey} matches. */
    public boolean matches(Key recordKey) {
        return key.map(recordKey::isWithin).orElse(true);
    }
}
