package dev.waterfall.file.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map made of a large base and a small layer of changes on top of it (values, or
 * {@link #REMOVED}), so that a new version after a few changes costs a copy of the layer, not of
 * the base. The metadata index uses it: the base is the last compaction, the layer the records
 * since.
 */
public final class LayeredMap<K, V> extends AbstractMap<K, V> {

    /** Marks a key of the base that the layer removes. */
    public static final Object REMOVED = new Object();

    private final Map<K, V> base;
    private final Map<K, Object> layer;
    private final int size;

    /**
     * @param base  the base; must not change afterwards
     * @param layer changes over the base: a value, or {@link #REMOVED}; copied
     */
    public LayeredMap(Map<K, V> base, Map<K, Object> layer) {
        this.base = base;
        this.layer = new HashMap<>(layer);
        int count = base.size();
        for (Map.Entry<K, Object> change : this.layer.entrySet()) {
            boolean inBase = base.containsKey(change.getKey());
            if (change.getValue() == REMOVED) {
                count -= inBase ? 1 : 0;
            } else {
                count += inBase ? 0 : 1;
            }
        }
        this.size = count;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        Object changed = layer.get(key);
        if (changed != null) {
            return changed == REMOVED ? null : (V) changed;
        }
        return base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Iterator<Map.Entry<K, V>> iterator() {
                Iterator<Map.Entry<K, V>> fromBase = base.entrySet().iterator();
                Iterator<Map.Entry<K, Object>> fromLayer = layer.entrySet().iterator();
                return new Iterator<>() {
                    private Map.Entry<K, V> next = advance();

                    private Map.Entry<K, V> advance() {
                        while (fromBase.hasNext()) {
                            Map.Entry<K, V> entry = fromBase.next();
                            Object changed = layer.get(entry.getKey());
                            if (changed == null) {
                                return entry;
                            }
                            if (changed != REMOVED) {
                                return new SimpleImmutableEntry<>(entry.getKey(), (V) changed);
                            }
                        }
                        while (fromLayer.hasNext()) {
                            Map.Entry<K, Object> entry = fromLayer.next();
                            if (entry.getValue() != REMOVED && !base.containsKey(entry.getKey())) {
                                return new SimpleImmutableEntry<>(entry.getKey(), (V) entry.getValue());
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<K, V> result = next;
                        next = advance();
                        return result;
                    }
                };
            }
        };
    }
}
