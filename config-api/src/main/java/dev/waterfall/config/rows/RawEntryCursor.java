package dev.waterfall.config.rows;

/**
 * Every entry of a store at one revision, in key order, as {@link RawEntryBytes}: what
 * {@link RawEntrySource#rawCursor(boolean)} returns. The same promises as
 * {@link dev.waterfall.config.EntryCursor}: one consistent view, streamed, {@link #revision()} and
 * {@link #size()} available before the first entry, a read transaction held until {@link #close()}.
 *
 * <p>Not thread-safe; one reader per cursor.
 */
public interface RawEntryCursor extends AutoCloseable {

    /** The store revision every entry of this cursor is as of. */
    long revision();

    /** The number of entries this cursor yields in all, or -1 if it was not counted or the store cannot tell without reading them. */
    long size();

    /**
     * The next entry, in a view that the next call fills again (copy what must outlive it), or
     * {@code null} after the last.
     *
     * @throws dev.waterfall.config.StoreUnavailableException if the store cannot be read any more
     * @throws dev.waterfall.config.StoreBrokenException      if a row is not one Waterfall could have written
     */
    RawEntryBytes next();

    /** Releases what the cursor holds (a read transaction, a connection). Idempotent. */
    @Override
    void close();
}
