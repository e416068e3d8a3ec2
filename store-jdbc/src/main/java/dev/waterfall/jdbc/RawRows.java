package dev.waterfall.jdbc;

import java.sql.SQLException;

/**
 * The rows of one namespace's entries, in key order, as a dialect streams them for
 * {@link SqlStore#rawCursor(boolean)} ({@link SqlDialect#rawRows}): inside the snapshot transaction the
 * store began on the connection, which stays the store's (closing this ends the query, not the
 * transaction). Not thread-safe.
 */
public interface RawRows extends AutoCloseable {

    /** Fills {@code row} with the next row ({@link RawRow#entry()} cleared first); false after the last one. */
    boolean next(RawRow row) throws SQLException;

    /** Ends the query; the transaction stays open. */
    @Override
    void close() throws SQLException;
}
