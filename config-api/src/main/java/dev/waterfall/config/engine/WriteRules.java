package dev.waterfall.config.engine;

import dev.waterfall.config.Change;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write rules of every store, once, as pure functions: the revision check of a
 * compare-and-set, the leaf rule (a key holds a value or is a table of other keys, never both),
 * the plan that turns a batch into the edits it really makes, and the checks of a copy before it
 * is loaded. The file stores, the NDJSON log and the SQL stores call them with what they hold;
 * none of them writes or reads anything, so a rule changes here, and in one test
 * ({@code WriteRulesTest}), for every store at once. The contract suite checks them again through
 * each store.
 */
public final class WriteRules {

    private WriteRules() {
    }

    /**
     * What a store holds, as far as the rules ask: a key's revision and value, and the stored keys
     * around a key for the leaf rule. Read under the store's write lock (or in its transaction).
     *
     * @param <E> the exception reading the keys may throw (a SQL store's {@code SQLException})
     */
    public interface Stored<E extends Exception> {

        /** The key's revision, {@link Change#ABSENT} if it holds no value. */
        long revision(Key key);

        /** The key's value, or {@code null} if it holds none. */
        Value value(Key key);

        /**
         * Whether a caller can have seen the key's revision. A file changed outside Waterfall holds
         * values no caller was told a revision for: any expected revision of them is stale.
         */
        default boolean seen(Key key) {
            return true;
        }

        /**
         * The stored keys that are ancestors of {@code key}, and the first {@code under} stored keys
         * below it in key order (fewer if there are fewer).
         */
        Collection<Key> relatives(Key key, int under) throws E;
    }

    /** {@link Stored} over a sorted set of keys and a map of values, as the file stores keep them. */
    public static <V> Stored<RuntimeException> stored(NavigableSet<Key> keys, Map<Key, V> held,
                                                      java.util.function.Function<V, Value> value,
                                                      java.util.function.ToLongFunction<V> revision) {
        return new Stored<>() {
            @Override
            public long revision(Key key) {
                V entry = held.get(key);
                return entry == null ? Change.ABSENT : revision.applyAsLong(entry);
            }

            @Override
            public Value value(Key key) {
                V entry = held.get(key);
                return entry == null ? null : value.apply(entry);
            }

            @Override
            public Collection<Key> relatives(Key key, int under) {
                return relativesIn(keys, key, under);
            }
        };
    }

    /** The stored ancestors of {@code key} in {@code keys}, and the first {@code under} keys below it. */
    public static List<Key> relativesIn(NavigableSet<Key> keys, Key key, int under) {
        List<Key> found = new ArrayList<>();
        String path = key.path();
        for (Key ancestor : key.ancestors()) {
            if (keys.contains(ancestor)) {
                found.add(ancestor);
            }
        }
        // Keys between "a.b" and "a.b." in key order (e.g. "a.b-c") are not under "a.b": look past them.
        int wanted = under;
        for (Key candidate : keys.tailSet(key, false)) {
            if (wanted == 0 || !candidate.path().startsWith(path)) {
                break;
            }
            if (key.isAncestorOf(candidate)) {
                found.add(candidate);
                wanted--;
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- the revision check

    /**
     * The revision check of one change: passes when the change expects no revision
     * ({@link Change#ANY}), or the one the key is at, and the key was seen.
     *
     * @param actual the key's stored revision, {@link Change#ABSENT} if absent
     * @param seen   whether a caller can have seen that revision (see {@link Stored#seen})
     * @throws RevisionConflictException naming the key, the expected and the actual revision
     */
    public static void checkRevision(Change change, long actual, boolean seen) {
        if (change.expectedRevision() == Change.ANY) {
            return;
        }
        if (!seen || actual != change.expectedRevision()) {
            throw new RevisionConflictException(change.key(), change.expectedRevision(), actual);
        }
    }

    // ---------------------------------------------------------------- the leaf rule

    /**
     * The leaf rule for setting {@code key}: the first key it would collide with, among the stored
     * keys as the batch has changed them so far, or {@code null} if it may be set.
     *
     * @param stored  stored ancestors of {@code key} and stored keys under it (see {@link Stored#relatives})
     * @param set     keys the batch has set so far (and not unset since)
     * @param removed keys the batch has unset so far (and not set since)
     */
    public static Key leafConflict(Key key, Collection<Key> stored, NavigableSet<Key> set, Set<Key> removed) {
        String path = key.path();
        for (Key ancestor : key.ancestors()) {
            if (set.contains(ancestor) || stored.contains(ancestor) && !removed.contains(ancestor)) {
                return ancestor;
            }
        }
        Key descendant = null;
        for (Key candidate : stored) {
            if (key.isAncestorOf(candidate) && !removed.contains(candidate)
                    && (descendant == null || candidate.compareTo(descendant) < 0)) {
                descendant = candidate;
            }
        }
        for (Key candidate : set.tailSet(key, false)) {
            if (!candidate.path().startsWith(path)) {
                break;
            }
            if (key.isAncestorOf(candidate)) {
                if (descendant == null || candidate.compareTo(descendant) < 0) {
                    descendant = candidate;
                }
                break;
            }
        }
        return descendant;
    }

    /**
     * The leaf rule against a sorted set of keys alone (a store that checks the keys it reads, or a
     * copy): the key that {@code key} would collide with, a stored ancestor or a stored key under it.
     */
    public static Optional<Key> leafConflict(NavigableSet<Key> stored, Key key) {
        return Optional.ofNullable(leafConflict(key, relativesIn(stored, key, 1), Collections.emptyNavigableSet(), Set.of()));
    }

    /**
     * How many stored keys below {@code key} a store must list for {@link #leafConflict} to see one
     * that the batch has not unset: one more than the batch's unset keys around it.
     */
    public static int keysUnderWanted(Key key, Set<Key> removed) {
        int nearby = 0;
        for (Key gone : removed) {
            if (key.isAncestorOf(gone)) {
                nearby++;
            }
        }
        return nearby + 1;
    }

    // ---------------------------------------------------------------- the batch plan

    /**
     * One key's change as a write makes it.
     *
     * @param before the stored value, {@code null} if absent
     * @param after  the new value, {@code null} for a removal
     */
    public record Edit(Key key, Value before, Value after) {
        public boolean isRemove() {
            return after == null;
        }

        /** Whether the edit adds a key or removes one (rather than giving a stored key a new value). */
        public boolean changesKeys() {
            return before == null || after == null;
        }
    }

    /**
     * A batch as it will be written: the edits that change something, in the order they take effect
     * (a key changed twice stands where its last change stands), each with the value it replaces.
     */
    public record Plan(List<Edit> edits) {
        public Plan {
            edits = List.copyOf(edits);
        }

        /** Whether the plan adds or removes a key. */
        public boolean changesKeys() {
            for (Edit edit : edits) {
                if (edit.changesKeys()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Plans a batch against what a store holds: in the batch's order, each change's expected
     * revision is checked against the stored key and each set against the leaf rule (the batch's
     * own earlier changes count); a later change of a key wins; a change to the value the key has
     * already is no edit. Nothing is written.
     *
     * @param values each set's value as the store will hold it ({@code null}: the change's own value)
     * @throws RevisionConflictException a lost compare-and-set
     * @throws KeyConflictException      a set that breaks the leaf rule
     */
    public static <E extends Exception> Plan plan(List<? extends Change> batch, Map<Key, Value> values, Stored<E> stored) throws E {
        NavigableSet<Key> set = new TreeSet<>();
        Set<Key> removed = new TreeSet<>();
        Map<Key, Value> touched = new LinkedHashMap<>(); // null: removed
        for (Change change : batch) {
            Key key = change.key();
            checkRevision(change, stored.revision(key), stored.seen(key));
            touched.remove(key); // re-inserted last: the order in which the changes take effect
            if (change instanceof Change.Set put) {
                Value value = values == null ? null : values.get(key);
                Key conflict = leafConflict(key, stored.relatives(key, keysUnderWanted(key, removed)), set, removed);
                if (conflict != null) {
                    throw new KeyConflictException(key, conflict);
                }
                removed.remove(key);
                set.add(key);
                touched.put(key, value == null ? put.value() : value);
            } else {
                set.remove(key);
                removed.add(key);
                touched.put(key, null);
            }
        }
        List<Edit> edits = new ArrayList<>();
        for (Map.Entry<Key, Value> change : touched.entrySet()) {
            Value before = stored.value(change.getKey());
            if (!Objects.equals(before, change.getValue())) {
                edits.add(new Edit(change.getKey(), before, change.getValue()));
            }
        }
        return new Plan(edits);
    }

    // ---------------------------------------------------------------- the copy check

    /**
     * The checks of a copy given to {@code ConfigStore.loadCopy}, as its entries and records stream
     * by: revisions within the copy's, entries in key order and each key once, the leaf rule. Only
     * the chain of earlier keys that are prefixes of the current one is kept: in key order every
     * key between an ancestor and its descendant starts with the ancestor's text.
     */
    public static final class CopyCheck {
        private final long revision;
        private final Deque<Key> prefixes = new ArrayDeque<>();
        private Key previous;

        /** A check of a copy at store revision {@code revision}. */
        public CopyCheck(long revision) {
            if (revision < 0) {
                throw new IllegalArgumentException("a store revision is never negative, was " + revision);
            }
            this.revision = revision;
        }

        /**
         * Checks the next entry.
         *
         * @throws IllegalArgumentException an entry out of order or twice, or a revision outside the copy's
         * @throws KeyConflictException     an entry under one that holds a value
         */
        public Entry entry(Entry entry) {
            Key key = entry.key();
            if (previous != null && key.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("the copy's entries must come in key order, each key once: " + key
                        + " came after " + previous);
            }
            checkRevision(entry.revision(), key);
            while (!prefixes.isEmpty() && !key.path().startsWith(prefixes.peek().path())) {
                prefixes.pop();
            }
            for (Key prefix : prefixes) {
                if (prefix.isAncestorOf(key)) {
                    throw new KeyConflictException(key, prefix);
                }
            }
            prefixes.push(key);
            previous = key;
            return entry;
        }

        /**
         * Checks the next history record.
         *
         * @throws IllegalArgumentException a revision outside the copy's
         */
        public HistoryRecord record(HistoryRecord record) {
            checkRevision(record.revision(), record.key());
            return record;
        }

        private void checkRevision(long revision, Key key) {
            if (revision < 1 || revision > this.revision) {
                throw new IllegalArgumentException("revision " + revision + " of " + key + " is outside 1.." + this.revision
                        + ", the copy's store revision");
            }
        }
    }

    /**
     * The refusal of a copy into a store that has been written: a copy keeps its own revisions.
     *
     * @param store    the store, as its messages name it
     * @param revision the store's revision now
     */
    public static WaterfallException notNew(String store, long revision) {
        return new WaterfallException("cannot load a copy into " + store + ": it has been written before (revision "
                + revision + "), and a copy keeps its own revisions; load it into a new store, "
                + "or copy the values with ordinary writes");
    }
}
