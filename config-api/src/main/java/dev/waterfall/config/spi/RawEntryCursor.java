package dev.waterfall.config.spi;

import java.util.Iterator;

/**
 * Every entry of a store at one revision, in key order, as {@link RawEntry raw entries}: what
 * {@link RawEntrySource#rawCursor()} returns. The same promises as
 * {@link dev.waterfall.config.EntryCursor}: one consistent view, streamed, {@link #revision()} and
 * {@link #size()} available before the first entry, a read transaction held until {@link #close()}.
 *
 * <p>Not thread-safe; one reader per cursor.
 */
public interface RawEntryCursor extends Iterator<RawEntry>, AutoCloseable {

    /** The store revision every entry of this cursor is as of. */
    long revision();

    /** The number of entries this cursor yields in all, or -1 if the store cannot tell without reading them. */
    long size();

    /**
     * {@inheritDoc}
     *
     * @throws dev.waterfall.config.StoreUnavailableException if the store cannot be read any more
     * @throws dev.waterfall.config.StoreBrokenException      if a row is not one Waterfall could have written
     */
    @Override
    boolean hasNext();

    /** Releases what the cursor holds (a read transaction, a connection). Idempotent. */
    @Override
    void close();
}
