package dev.waterfall.file;

import dev.waterfall.config.Key;
import dev.waterfall.config.Value;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed file: its leaf values in document order, the line of each, and whatever its codec needs
 * to edit it without disturbing the rest (a TOML document keeps its text and comments).
 */
public interface Document {

    /** The leaves, in document order. */
    Map<Key, Value> values();

    /** The 1-based line that holds {@code key}'s value, or 0 if unknown or absent. */
    int line(Key key);

    /**
     * The leaves that differ between {@code previous} (null for no file) and this document: the
     * new value of each added or changed leaf, and empty for each leaf that is gone. The kernel
     * checks a write with it: the changes must be exactly the ones intended.
     *
     * <p>This default compares every leaf. A codec whose documents share their unchanged parts with
     * the document they were edited from may compare only the parts that are not shared, as long
     * as it reads both documents themselves and not the edits it was given.
     */
    default Map<Key, Optional<Value>> changesFrom(Document previous) {
        Map<Key, Value> before = previous == null ? Map.of() : previous.values();
        Map<Key, Value> after = values();
        Map<Key, Optional<Value>> changes = new HashMap<>();
        for (Map.Entry<Key, Value> leaf : after.entrySet()) {
            if (!leaf.getValue().equals(before.get(leaf.getKey()))) {
                changes.put(leaf.getKey(), Optional.of(leaf.getValue()));
            }
        }
        for (Key key : before.keySet()) {
            if (!after.containsKey(key)) {
                changes.put(key, Optional.empty());
            }
        }
        return changes;
    }
}
