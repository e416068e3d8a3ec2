package dev.waterfall.jdbc;

import dev.waterfall.config.Diagnostic;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where a {@link SqlStore} gets its connections: a pool (PostgreSQL) or a store's own long-lived
 * connections to one file (SQLite). Each connection handed out is used by one thread until it is
 * {@linkplain #release released}, and is in auto-commit mode.
 */
public interface SqlConnections extends AutoCloseable {

    /**
     * A connection to read with, or empty when the database does not exist yet (a SQLite file before
     * its first write), in which case the store is empty.
     */
    Optional<Connection> reader() throws SQLException;

    /** A connection to write with, creating the database first if it does not exist yet. */
    Connection writer() throws SQLException;

    /**
     * Gives back a connection from {@link #reader} or {@link #writer}.
     *
     * @param failed whether using it failed, so that it should not be trusted again
     */
    void release(Connection connection, boolean failed);

    /** The data source Flyway migrates the database with; called only after {@link #writer} or a present {@link #reader}. */
    DataSource migrationSource();

    /**
     * Findings about the database that {@code waterfall doctor} should show beyond whether it can be
     * read: file modes, integrity. Must not create or change anything. None by default.
     */
    default List<Diagnostic> diagnose() {
        return List.of();
    }

    /**
     * How long a write keeps trying through a failover ({@link SqlDialect#duringFailover}) before it
     * fails; zero by default: one attempt (and one more to settle a commit whose outcome was lost).
     */
    default java.time.Duration failoverTimeout() {
        return java.time.Duration.ZERO;
    }

    /** Releases what these connections hold for this store (not a pool shared with other stores). */
    @Override
    void close();
}
