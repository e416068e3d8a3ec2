package dev.waterfall.config.spi;

import dev.waterfall.config.Key;
import dev.waterfall.config.Value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leaf values of a document, in document order, with the line each one is on.
 */
public final class ParsedDocument {

    private final Map<Key, Value> values;
    private final Map<Key, Integer> lines;

    /**
     * @param values the leaves in document order; copied
     * @param lines  the 1-based line of each leaf, where known; copied
     */
    public ParsedDocument(Map<Key, Value> values, Map<Key, Integer> lines) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.lines = Map.copyOf(lines);
    }

    /** The leaves, in document order. */
    public Map<Key, Value> values() {
        return values;
    }

    /** The 1-based line of {@code key}'s value, or 0 if unknown or absent. */
    public int line(Key key) {
        return lines.getOrDefault(key, 0);
    }
}
