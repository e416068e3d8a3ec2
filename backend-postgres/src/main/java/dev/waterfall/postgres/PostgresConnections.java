package dev.waterfall.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.waterfall.jdbc.SqlConnections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A PostgreSQL store's connections: borrowed from the shared pool for each operation and given
 * back at once. Closing the store leaves the pool to the Waterfall instance.
 */
final class PostgresConnections implements SqlConnections {

    private final HikariDataSource pool;
    private final java.time.Duration failoverTimeout;

    PostgresConnections(HikariDataSource pool, java.time.Duration failoverTimeout) {
        this.pool = pool;
        this.failoverTimeout = failoverTimeout;
    }

    /** The URI's {@code failover_timeout}: by default 30 s when it lists several servers, else none. */
    @Override
    public java.time.Duration failoverTimeout() {
        return failoverTimeout;
    }

    @Override
    public Optional<Connection> reader() throws SQLException {
        return Optional.of(pool.getConnection());
    }

    @Override
    public Connection writer() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void release(Connection connection, boolean failed) {
        if (failed) {
            // Don't trust it again: a connection that failed may be mid-transaction or dead.
            pool.evictConnection(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            pool.evictConnection(connection);
        }
    }

    @Override
    public DataSource migrationSource() {
        return pool;
    }

    @Override
    public void close() {
        // the pool belongs to the Waterfall instance's services
    }
}
