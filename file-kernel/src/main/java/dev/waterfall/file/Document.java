package dev.waterfall.file;

import dev.waterfall.config.Key;
import dev.waterfall.config.Value;

import java.util.Map;

/**
 * A parsed file: its leaf values in document order, the line of each, and whatever its codec needs
 * to edit it without disturbing the rest (a TOML document keeps its text and comments).
 */
public interface Document {

    /** The leaves, in document order. */
    Map<Key, Value> values();

    /** The 1-based line that holds {@code key}'s value, or 0 if unknown or absent. */
    int line(Key key);
}
