package dev.waterfall.config;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every entry of a store at one revision: a consistent view, never a mix of two writes.
 */
public final class Snapshot {

    private final long revision;
    private final NavigableMap<Key, Entry> entries;

    /**
     * @param revision the store revision this view shows
     * @param entries  the entries; copied
     */
    public Snapshot(long revision, Map<Key, Entry> entries) {
        this.revision = revision;
        this.entries = Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
    }

    /** The store revision: the highest revision of any change so far (0 for a new store). */
    public long revision() {
        return revision;
    }

    /** All entries, sorted by key. */
    public NavigableMap<Key, Entry> entries() {
        return entries;
    }

    /** The entry for {@code key}, if stored. */
    public Optional<Entry> get(Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The entries at or under {@code prefix}, sorted by key. */
    public NavigableMap<Key, Entry> under(Key prefix) {
        NavigableMap<Key, Entry> result = new TreeMap<>();
        for (Entry entry : entries.tailMap(prefix, true).values()) {
            if (entry.key().isWithin(prefix)) {
                result.put(entry.key(), entry);
            } else if (!entry.key().path().startsWith(prefix.path())) {
                break;
            }
        }
        return Collections.unmodifiableNavigableMap(result);
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "Snapshot[revision=" + revision + ", " + entries.size() + " entries]";
    }
}
