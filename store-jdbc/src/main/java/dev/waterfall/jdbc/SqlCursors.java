package dev.waterfall.jdbc;

import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;
import dev.waterfall.config.rows.CanonicalText;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.config.rows.RawEntryCursor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The cursors of a {@link SqlStore}: every entry of a namespace at one revision, read in one
 * snapshot transaction as the caller consumes them, typed ({@link SqlStore#cursor()}) or as raw
 * text for the export ({@link SqlStore#rawCursor(boolean)}). Out of {@code SqlStore}, whose reads,
 * commit protocol and copies stay there, so that each reads in one sitting.
 */
final class SqlCursors {

    private SqlCursors() {
    }

    /** Makes a cursor on a connection in a snapshot transaction, at a revision, of a number of rows. */
    @FunctionalInterface
    interface Factory<C> {
        C open(SqlStore store, Connection connection, long revision, long size);
    }

    /**
     * Begins a snapshot transaction and opens a cursor in it, or {@code null} when there is no
     * database yet; its size is counted if {@code counted}, else -1.
     */
    static <C> C open(SqlStore store, Factory<C> factory, boolean counted) {
        store.checkOpen();
        for (int attempt = 0; ; attempt++) {
            Connection connection = null;
            boolean begun = false;
            try {
                Optional<Connection> reader = store.connections.reader();
                if (reader.isEmpty()) {
                    return null;
                }
                connection = reader.get();
                if (!store.schema.readable(connection)) {
                    return null;
                }
                store.dialect.beginSnapshot(connection);
                begun = true;
                long revision;
                long size;
                try (PreparedStatement statement = connection.prepareStatement("SELECT (SELECT revision FROM " + store.namespacesTable
                        + " WHERE namespace = ?), " + (counted ? "(SELECT count(*) FROM " + store.entriesTable + " WHERE namespace = ?)" : "-1"))) {
                    statement.setString(1, store.namespace);
                    if (counted) {
                        statement.setString(2, store.namespace);
                    }
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        revision = row.getLong(1);
                        size = row.getLong(2);
                    }
                }
                return factory.open(store, connection, revision, size);
            } catch (SQLException e) {
                if (connection != null) {
                    endQuietly(store, connection, begun, e);
                    store.connections.release(connection, true);
                }
                if (connection != null && attempt == 0 && store.dialect.classify(e) == SqlDialect.Failure.CONNECTION_LOST) {
                    continue;
                }
                throw store.failure(e, "read", false, false);
            } catch (RuntimeException e) {
                if (connection != null) {
                    endQuietly(store, connection, begun, e);
                    store.connections.release(connection, true);
                }
                throw e;
            }
        }
    }

    private static void endQuietly(SqlStore store, Connection connection, boolean begun, Exception cause) {
        if (begun) {
            try {
                store.dialect.endSnapshot(connection);
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * The rows of one namespace at one moment, fetched as they are read, each made into a {@code T}.
     * A cursor without a connection (no database yet) is empty.
     */
    private abstract static class RowCursor<T> {
        final SqlStore store;
        private final Connection connection;
        private final long revision;
        private final long size;
        private T next;
        private boolean started;
        private boolean done;
        private boolean failed;
        private boolean closed;

        RowCursor(SqlStore store, Connection connection, long revision, long size) {
            this.store = store;
            this.connection = connection;
            this.revision = revision;
            this.size = size;
            this.done = connection == null;
        }

        /** Starts reading the rows on the connection, in its snapshot transaction. */
        abstract void open(Connection connection) throws SQLException;

        /** The next row, or {@code null} after the last one. */
        abstract T fetch() throws SQLException;

        /** Ends the reading that {@link #open} started (not the transaction). */
        abstract void closeRows() throws SQLException;

        /**
         * Whether a connection whose rows were left before their end is closed rather than pooled
         * again. PostgreSQL's COPY is stopped by a cancel request that reaches the server on its own
         * connection, at a moment of its choosing: the suite saw the next user of such a pooled
         * connection get the answer to another statement ("Expected command status BEGIN, got SET").
         * A fresh connection costs little next to an export that was cancelled.
         */
        boolean discardsConnectionWhenLeftEarly() {
            return false;
        }

        public long revision() {
            return revision;
        }

        public long size() {
            return size;
        }

        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done || closed) {
                return false;
            }
            try {
                if (!started) {
                    started = true;
                    open(connection);
                }
                next = fetch();
                if (next == null) {
                    done = true;
                    return false;
                }
                return true;
            } catch (SQLException e) {
                failed = true;
                throw store.failure(e, "read", false, false);
            }
        }

        public T next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException("no more entries in " + store.location);
            }
            T entry = next;
            next = null;
            return entry;
        }

        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (connection == null) {
                return;
            }
            try {
                if (started) {
                    closeRows();
                    if (!done && discardsConnectionWhenLeftEarly()) {
                        failed = true;
                    }
                }
                store.dialect.endSnapshot(connection);
            } catch (SQLException e) {
                failed = true;
            } finally {
                store.connections.release(connection, failed);
            }
        }
    }

    /** The typed entries of {@link SqlStore#cursor()}. */
    static final class Typed extends RowCursor<Entry> implements EntryCursor {
        Typed(SqlStore store, Connection connection, long revision, long size) {
            super(store, connection, revision, size);
        }

        private PreparedStatement statement;
        private ResultSet rows;

        @Override
        void open(Connection connection) throws SQLException {
            statement = connection.prepareStatement(
                    "SELECT key, " + SqlStore.ENTRY_COLUMNS + " FROM " + store.entriesTable + " WHERE namespace = ? ORDER BY key");
            statement.setFetchSize(500); // where the driver streams (PostgreSQL; SQLite steps row by row anyway)
            statement.setString(1, store.namespace);
            rows = statement.executeQuery();
        }

        @Override
        Entry fetch() throws SQLException {
            return rows.next() ? store.entry(store.storedKey(rows.getString(1)), rows, 2) : null;
        }

        @Override
        void closeRows() throws SQLException {
            try (PreparedStatement closing = statement; ResultSet closingRows = rows) {
                // both closed, the rows first; either may be null if open failed
            }
        }
    }

    /** The raw entries of {@link SqlStore#rawCursor(boolean)}: one view, filled again for each row. */
    static final class Raw extends RowCursor<RawEntryBytes> implements RawEntryCursor {
        Raw(SqlStore store, Connection connection, long revision, long size) {
            super(store, connection, revision, size);
        }

        private final RawRow row = new RawRow();
        private RawRows rows;

        @Override
        void open(Connection connection) throws SQLException {
            rows = store.dialect.rawRows(connection, store.entriesTable, store.namespace);
        }

        @Override
        void closeRows() throws SQLException {
            if (rows != null) {
                rows.close();
            }
        }

        @Override
        boolean discardsConnectionWhenLeftEarly() {
            return true;
        }

        @Override
        public RawEntryBytes next() {
            return hasNext() ? super.next() : null;
        }

        @Override
        RawEntryBytes fetch() throws SQLException {
            if (!rows.next(row)) {
                return null;
            }
            RawEntryBytes entry = row.entry();
            byte[] text = entry.bytes();
            if (!Key.isValid(text, entry.keyStart(), entry.keyEnd())) {
                store.storedKey(entry.key()); // throws, as cursor() would
            }
            String typeLabel = row.typeLabel();
            ValueType type = typeLabel == null ? CanonicalText.jsonType(text, entry.valueStart(), entry.valueEnd()) : null;
            if (type == null) { // what the typed cursor does, then back to text: ASCII, so that a lone surrogate survives
                Value value = store.decode(Key.of(entry.key()), entry.valueJson(), typeLabel);
                entry.value(JsonValues.write(value, true));
                type = value.type();
            }
            entry.type(type);
            // As Actor's constructor checks; the columns are NOT NULL.
            Objects.requireNonNull(entry.surface(), "surface");
            Objects.requireNonNull(entry.user(), "user");
            Objects.requireNonNull(entry.host(), "host");
            return entry;
        }
    }
}
