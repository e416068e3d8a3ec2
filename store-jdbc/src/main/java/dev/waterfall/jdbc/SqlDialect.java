package dev.waterfall.jdbc;

import dev.waterfall.config.Key;
import dev.waterfall.config.rows.CanonicalText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What differs between the databases a {@link SqlStore} runs on: how a write transaction starts,
 * how instants are kept, where the migrations are, and what a failure means. Everything else (the
 * tables, every statement, revisions, compare-and-set, the leaf rule, history) is the core's and the
 * same on every database.
 *
 * <p>The core's statements use standard SQL plus {@code INSERT ... ON CONFLICT ... DO UPDATE} and
 * {@code RETURNING}, which SQLite (3.35+) and PostgreSQL (9.5+) both understand. The tables are
 * {@code namespaces(namespace, revision)}, {@code entries(namespace, key, value, type, revision,
 * updated_at, updated_by_surface, updated_by_user, updated_by_host, updated_by_pid)} and
 * {@code history(id, namespace, revision, at, by_surface, by_user, by_host, by_pid, key, old_value,
 * old_type, new_value, new_type)}, created by the backend's migrations; keys must compare bytewise
 * (PostgreSQL: {@code COLLATE "C"}).
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface SqlDialect {

    /** How the database is named in messages: {@code SQLite}, {@code PostgreSQL}. */
    String databaseName();

    /**
     * The database schema that holds Waterfall's tables and the migration history, or {@code null}
     * for the connection's default (SQLite). A constant, never user input: it is written into SQL.
     */
    String schema();

    /**
     * Where Flyway finds this backend's migrations, e.g. {@code classpath:dev/waterfall/sqlite/migration}.
     * Each backend has its own package, opened unconditionally in its {@code module-info}.
     */
    String migrationLocation();

    /**
     * The schema version this backend's newest migration brings a database to, e.g. {@code "1"}.
     * A database at a higher version was migrated by a newer Waterfall and is refused.
     */
    String schemaVersion();

    /** Starts a write transaction on a connection in auto-commit mode (SQLite: {@code BEGIN IMMEDIATE}). */
    void begin(Connection connection) throws SQLException;

    /** Commits the transaction {@link #begin} started and returns the connection to auto-commit. */
    void commit(Connection connection) throws SQLException;

    /** Rolls back the transaction {@link #begin} started and returns the connection to auto-commit. */
    void rollback(Connection connection) throws SQLException;

    /**
     * Starts a read-only transaction in which every statement sees the same moment of the
     * database, on a connection in auto-commit mode, for a {@linkplain SqlStore#cursor() cursor}
     * that streams a namespace. The default is JDBC's repeatable read (PostgreSQL's snapshot
     * isolation), which also lets the driver stream rows instead of loading them all.
     */
    default void beginSnapshot(Connection connection) throws SQLException {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
    }

    /** Ends what {@link #beginSnapshot} began and returns the connection to auto-commit. */
    default void endSnapshot(Connection connection) throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.setAutoCommit(true);
            connection.setReadOnly(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    /** Binds an instant as the database keeps timestamps. */
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException;

    /** Reads an instant written by {@link #setInstant}. */
    Instant getInstant(ResultSet row, int column) throws SQLException;

    /**
     * Streams the rows of a namespace for {@link SqlStore#rawCursor(boolean)}: every row of
     * {@code entriesTable} in the namespace, in key order (bytewise), inside the snapshot
     * transaction already begun on {@code connection}, each as the bytes of its nine columns put
     * into a {@link RawRow} ({@code key, value, type, revision, updated_at} as
     * {@link CanonicalText#instant(long, int)} text, and the four {@code updated_by_*} columns).
     * Each dialect moves them in the way its driver makes cheap for millions of rows, without an
     * object per row.
     *
     * @param entriesTable the entries table's name, qualified by the schema where there is one
     */
    RawRows rawRows(Connection connection, String entriesTable, String namespace) throws SQLException;

    /**
     * A number that changes whenever another connection commits to the database, read on
     * {@code connection}, so that reads can be served from memory while it stays the same (SQLite's
     * {@code PRAGMA data_version}); empty if the database offers no such cheap check, in which case
     * every read queries.
     */
    default OptionalLong changeToken(Connection connection) throws SQLException {
        return OptionalLong.empty();
    }

    /**
     * Runs inside a write transaction just before it commits, e.g. to send a notification that is
     * delivered only if the transaction commits ({@code pg_notify}). Nothing by default.
     */
    default void beforeCommit(Connection connection, String namespace, long revision, Set<Key> keys) throws SQLException {
    }

    /** What a failure means for the caller. */
    enum Failure {
        /** The database's content cannot be read (a file that is not a database, corruption): {@code StoreBrokenException}. */
        BROKEN,
        /** The database cannot be reached, is busy past the timeout, refuses the credentials: {@code StoreUnavailableException}. */
        UNAVAILABLE,
        /** The connection broke while in use (a server restart): a read may be tried once more on a fresh connection. */
        CONNECTION_LOST
    }

    /** Classifies a failure of this database. */
    Failure classify(SQLException failure);

    /**
     * Advice to add to a message about {@code failure}, e.g. "is the server running?"; empty for none.
     * Must never contain a password.
     */
    default String advice(SQLException failure) {
        return "";
    }
}
