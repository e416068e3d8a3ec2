package dev.waterfall.jdbc;

import java.sql.SQLException;

/**
 * The rows of one namespace's entries, in key order, as a dialect streams them for
 * {@link SqlStore#rawCursor()}: inside the snapshot transaction the store began on the connection,
 * which stays the store's (closing this ends the query, not the transaction).
 *
 * <p>The default ({@link SqlDialect#rawRows}) is one query read row by row through JDBC; a dialect
 * may move the same rows another way when the driver's cost per row or per column dominates an
 * export of millions of rows. Whatever the way, the rows are exactly those of the default, in the
 * same order, with the same text. Not thread-safe.
 */
public interface RawRows extends AutoCloseable {

    /** The next row, or {@code null} after the last one. */
    RawRow next() throws SQLException;

    /** Ends the query; the transaction stays open. */
    @Override
    void close() throws SQLException;
}
