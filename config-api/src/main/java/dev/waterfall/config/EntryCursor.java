package dev.waterfall.config;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Every entry of a store at one revision, read one at a time in key order: what
 * {@link ConfigStore#cursor()} returns, so that tools such as exports can walk a store of millions
 * of keys without holding it in memory.
 *
 * <p>The view is consistent: every entry is as of {@link #revision()}, whatever other writers do
 * while the cursor is open. A database store holds a read transaction (and a connection) until the
 * cursor is closed, so close it promptly, with try-with-resources. {@link #revision()} and
 * {@link #size()} are available before the first entry is read, and cost little: a tool can look at
 * the revision and close the cursor without reading any entry.
 *
 * <p>Not thread-safe; one reader per cursor.
 *
 * @see ConfigStore#cursor()
 */
public interface EntryCursor extends Iterator<Entry>, AutoCloseable {

    /** The store revision every entry of this cursor is as of. */
    long revision();

    /** The number of entries this cursor yields in all, or -1 if the store cannot tell without reading them. */
    long size();

    /**
     * {@inheritDoc}
     *
     * @throws StoreUnavailableException if the store cannot be read any more (a lost connection)
     */
    @Override
    boolean hasNext();

    /** Releases what the cursor holds (a read transaction, a connection). Idempotent. */
    @Override
    void close();

    /** A cursor over the entries of a snapshot, already in memory. */
    static EntryCursor of(Snapshot snapshot) {
        Iterator<Entry> entries = snapshot.entries().values().iterator();
        return new EntryCursor() {
            @Override
            public long revision() {
                return snapshot.revision();
            }

            @Override
            public long size() {
                return snapshot.size();
            }

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Entry next() {
                if (!entries.hasNext()) {
                    throw new NoSuchElementException("no more entries");
                }
                return entries.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
