package dev.waterfall.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connection pools of one Waterfall instance: one per server, database and credentials, shared
 * by every store of those (all namespaces), closed when the instance closes. Lives in
 * {@code StoreContext.services()}.
 *
 * <p>A pool connects lazily: opening a store never fails because the server is down; each use
 * waits at most the connect timeout for a connection and then reports the server. Connections that
 * broke (a server restart) are dropped and replaced, so the pool recovers by itself once the server
 * is back. Thread-safe.
 */
final class PostgresPools implements AutoCloseable {

    /** Connections per pool: config traffic is small; a few cover concurrent threads and a migration. */
    static final int POOL_SIZE = 4;
    /** How long a write waits for another writer of the same namespace, as the file stores wait for their lock. */
    static final int LOCK_TIMEOUT_MILLIS = 30_000;
    /** How soon the driver tries again a host it found to be a standby, or down, when it looks for a primary. */
    static final int HOST_RECHECK_SECONDS = 1;

    /** What makes two stores share a pool; the password takes part but never shows. */
    private record PoolKey(List<PostgresTarget.Server> servers, String database, String user, PostgresTarget.Password password,
                           Optional<String> sslMode, int connectTimeoutSeconds, Map<String, String> driverProperties,
                           PostgresTarget.Password sslPassword) {
        @Override
        public String toString() {
            return user + "@" + servers + "/" + database;
        }
    }

    /** A pool and the plain data source behind it, for the dedicated connections of watches. */
    record Pool(HikariDataSource pooled, PGSimpleDataSource direct) {
    }

    private final String app;
    private final Map<PoolKey, Pool> pools = new LinkedHashMap<>();
    private boolean closed;

    PostgresPools(String app) {
        this.app = app;
    }

    /** The pool for {@code target}'s server, database and credentials, created on first use. */
    synchronized Pool pool(PostgresTarget target) {
        if (closed) {
            throw new IllegalStateException("this Waterfall instance is closed");
        }
        PoolKey key = new PoolKey(target.servers(), target.database(), target.user(), target.password(),
                target.sslMode(), target.connectTimeoutSeconds(), target.driverProperties(), target.sslPassword());
        return pools.computeIfAbsent(key, ignored -> create(target));
    }

    private Pool create(PostgresTarget target) {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setServerNames(target.servers().stream().map(PostgresTarget.Server::host).toArray(String[]::new));
        direct.setPortNumbers(target.servers().stream().mapToInt(PostgresTarget.Server::port).toArray());
        direct.setDatabaseName(target.database());
        direct.setUser(target.user());
        target.password().reveal().ifPresent(direct::setPassword);
        direct.setApplicationName("waterfall " + app);
        direct.setConnectTimeout(target.connectTimeoutSeconds());
        direct.setTcpKeepAlive(true);
        direct.setOptions("-c lock_timeout=" + LOCK_TIMEOUT_MILLIS);
        target.sslMode().ifPresent(direct::setSslMode);
        target.sslPassword().reveal().ifPresent(direct::setSslPassword);
        // After a failover the driver must look at a host it saw as a standby again soon (its default is 10 s).
        direct.setHostRecheckSeconds(HOST_RECHECK_SECONDS);
        for (Map.Entry<String, String> property : target.driverProperties().entrySet()) {
            try {
                direct.setProperty(property.getKey(), property.getValue());
            } catch (java.sql.SQLException e) {
                throw new IllegalArgumentException("the driver refuses " + property.getKey() + "=" + property.getValue(), e);
            }
        }

        HikariConfig config = new HikariConfig();
        config.setDataSource(direct);
        config.setPoolName("waterfall " + target.user() + "@" + target.server() + "/" + target.database());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(target.connectTimeoutSeconds() * 1000L);
        config.setValidationTimeout(Math.min(2_000L, target.connectTimeoutSeconds() * 1000L - 1));
        // Lazy: a server that is down is reported by the first use, naming host:port, not by opening.
        config.setInitializationFailTimeout(-1);
        return new Pool(new HikariDataSource(config), direct);
    }

    /** The pools made so far. */
    synchronized java.util.List<Pool> pools() {
        return java.util.List.copyOf(pools.values());
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Pool pool : pools.values()) {
            pool.pooled().close();
        }
        pools.clear();
    }
}
