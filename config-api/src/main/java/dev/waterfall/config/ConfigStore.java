package dev.waterfall.config;

import dev.waterfall.config.internal.PollingWatch;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The user's store: the one writable layer of the waterfall, a file or a database that several
 * processes read and write at once.
 *
 * <p>Every implementation keeps these promises, and the shared contract suite checks them:
 * <ul>
 *   <li><b>Fresh reads.</b> Any process's committed write is seen by the next read, in this process
 *       or any other.</li>
 *   <li><b>Atomic, durable writes.</b> When {@link #apply} returns, the whole batch is on disk (or
 *       committed by the database); if it throws, none of it is. A write changes only the keys it
 *       names: concurrent writers of other keys never lose each other's changes.</li>
 *   <li><b>Revisions.</b> Each write that changes something gets the next store revision; each entry
 *       carries the revision of its last change, for {@linkplain #compareAndSet compare-and-set}.</li>
 *   <li><b>Leaves only.</b> A key holds a leaf value; setting a key that is a table of other keys,
 *       or lies under a key that holds a value, fails with {@link KeyConflictException}.</li>
 *   <li><b>Unchanged values are not rewritten</b>: setting a key to the value it holds is a no-op.</li>
 *   <li><b>Broken content is an error</b> ({@link StoreBrokenException}), never an empty store, and
 *       no write replaces it.</li>
 * </ul>
 *
 * <p>Implementations are safe for use by many threads. Close a store to release its resources
 * (connections, watch threads); a closed store must not be used.
 */
public interface ConfigStore extends AutoCloseable {

    /** Where this store lives, as it may be printed: the URI, never with a password. */
    String location();

    /**
     * The entry for {@code key}, freshly read.
     *
     * @throws StoreBrokenException      if the store's content cannot be read
     * @throws StoreUnavailableException if the store cannot be reached
     */
    default Optional<Entry> get(Key key) {
        return snapshot().get(key);
    }

    /**
     * The value of {@code key}, freshly read, as {@link #get(Key)} would give it, for readers that
     * need only the value (a plain {@code waterfall get}): a store may answer without reading or
     * recording the metadata of its entries (revision, time, author). A file store reads the file
     * alone, not its metadata sidecar, and leaves a change made outside Waterfall for the next
     * reader of revisions or writer to record. The default is {@code get(key)}'s value.
     *
     * @throws StoreBrokenException      if the store's content cannot be read
     * @throws StoreUnavailableException if the store cannot be reached
     */
    default Optional<Value> value(Key key) {
        return get(key).map(Entry::value);
    }

    /**
     * Every entry at one revision, freshly read.
     *
     * @throws StoreBrokenException      if the store's content cannot be read
     * @throws StoreUnavailableException if the store cannot be reached
     */
    Snapshot snapshot();

    /**
     * Every entry at one revision, read one at a time in key order, for tools that walk a whole
     * store (exports, migrations) and must not hold millions of entries in memory. Close the cursor
     * when done.
     *
     * <p>The default reads a {@link #snapshot()}; database stores override it to stream the rows of
     * one read transaction.
     *
     * @throws StoreBrokenException      if the store's content cannot be read
     * @throws StoreUnavailableException if the store cannot be reached
     */
    default EntryCursor cursor() {
        return EntryCursor.of(snapshot());
    }

    /**
     * Applies a batch of changes atomically: all of them or, if any expected revision does not
     * match or any change is invalid, none. Changes apply in order; a later change to the same key
     * wins. Durable when this returns.
     *
     * @return what changed, with the new revision
     * @throws RevisionConflictException if a change's expected revision does not match
     * @throws KeyConflictException      if a change would make a key both a value and a table
     * @throws StoreBrokenException      if the current content cannot be read (nothing is replaced)
     * @throws StoreUnavailableException if the store cannot be written; nothing was changed
     */
    Commit apply(List<? extends Change> changes);

    /**
     * Sets {@code key} to {@code value}. Durable when this returns.
     *
     * @return the entry as stored
     * @see #apply
     */
    default Entry set(Key key, Value value) {
        Commit commit = apply(List.of(Change.set(key, value)));
        return commit.written().isEmpty() ? get(key).orElseThrow() : commit.written().get(0);
    }

    /**
     * Removes {@code key}; removing an absent key changes nothing.
     *
     * @return whether the key was present
     * @see #apply
     */
    default boolean unset(Key key) {
        return !apply(List.of(Change.unset(key))).removed().isEmpty();
    }

    /**
     * Sets {@code key} to {@code value} only if the key is still at {@code expectedRevision}
     * ({@link Change#ABSENT} if it must be absent).
     *
     * @return the entry as stored
     * @throws RevisionConflictException if another writer changed the key in between
     */
    default Entry compareAndSet(Key key, long expectedRevision, Value value) {
        Commit commit = apply(List.of(Change.set(key, value).ifRevision(expectedRevision)));
        return commit.written().isEmpty() ? get(key).orElseThrow() : commit.written().get(0);
    }

    /**
     * The recorded changes matching {@code query}, newest first.
     */
    List<HistoryRecord> history(HistoryQuery query);

    /**
     * Calls {@code listener} after each committed change this store sees, from any process, until
     * the returned handle is closed. Events may be coalesced: one event can stand for several
     * commits. The listener runs on a thread of the store's and must not block for long.
     *
     * <p>The default polls {@link #snapshot()} every 200 ms; stores with change notifications
     * (PostgreSQL's {@code LISTEN/NOTIFY}) do better.
     */
    default AutoCloseable watch(Consumer<StoreEvent> listener) {
        return PollingWatch.start(this, Duration.ofMillis(200), listener);
    }

    /**
     * Loads a copy of another store into this one, metadata included, for import and migration:
     * each entry keeps its revision, time and author, the store revision becomes {@code revision},
     * and {@code history} is kept where this store keeps history. Only a store that has never been
     * written (revision 0) takes a copy, because revisions are the store's own sequence: ordinary
     * writes, which record the current actor and time and the next revision, go through
     * {@link #apply}. All or nothing; durable when it returns.
     *
     * <p>The default takes no copy and returns {@code false}; stores that can keep foreign metadata
     * (the file and SQL stores) override it. An empty copy at revision 0 writes nothing (a store
     * never written stays so, nothing is created), so calling it with empty iterators asks whether
     * this store takes copies.
     *
     * @param revision the source's store revision: at least the revision of every entry and record
     * @param entries  the entries, in key order, each key once; read once
     * @param history  the source's history records, oldest first; empty when the source keeps none
     * @return whether the copy was loaded; {@code false} means this store cannot keep foreign
     *         metadata and nothing was written
     * @throws WaterfallException        naming the store if it has been written before (nothing is written)
     * @throws KeyConflictException      if two entries break the leaf rule (nothing is written)
     * @throws InvalidValueException     if this store cannot hold a value (nothing is written)
     * @throws StoreUnavailableException if the store cannot be written; nothing was changed
     * @throws IllegalArgumentException  if an entry's or record's revision exceeds {@code revision}
     */
    default boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        return false;
    }

    /** The earlier versions this store keeps, if it keeps any. */
    default Optional<Backups> backups() {
        return Optional.empty();
    }

    /**
     * Checks the store's health without changing it: broken content, loose file modes, stale
     * temporary files, an unreachable server.
     */
    default List<Diagnostic> diagnose() {
        try {
            snapshot();
            return List.of();
        } catch (WaterfallException e) {
            return List.of(new Diagnostic(Diagnostic.Severity.ERROR, location(), e.getMessage()));
        }
    }

    /** Releases the store's resources. */
    @Override
    default void close() {
    }
}
