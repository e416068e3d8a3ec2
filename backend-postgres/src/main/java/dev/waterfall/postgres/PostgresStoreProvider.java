package dev.waterfall.postgres;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.jdbc.SqlStore;

import java.util.Set;

/**
 * Opens PostgreSQL stores:
 * {@code postgresql://[user[:password]@]host[:port][,host[:port]...][/database][?namespace=NAME&option=value...]}
 * (also {@code postgres://}); the options are libpq's and pgjdbc's connection options
 * ({@code target_session_attrs}, {@code connect_timeout}, {@code sslmode}, ...) and Waterfall's
 * {@code namespace}, {@code history} and {@code failover_timeout}: see {@code docs/stores.md}.
 *
 * <ul>
 *   <li><b>Namespaces</b>: many applications and users share one database; each store sees only its
 *       namespace's keys, revisions and history. The default namespace is the application's name.
 *       Namespaces separate, they do not protect: give untrusted users their own database or role.</li>
 *   <li><b>Credentials</b>: the URI's user (default {@code PGUSER}, else the operating-system user); the
 *       password from the URI, else {@code PGPASSWORD}, else {@code PGPASSFILE} or {@code ~/.pgpass}
 *       (read from the store's context, never from the process). A password never appears in
 *       {@code location()}, messages or logs.</li>
 *   <li><b>Connections</b>: one pool per server and credentials per Waterfall instance, closed with it;
 *       connecting is lazy, a server that is down is a {@code StoreUnavailableException} naming
 *       host:port, and the pool recovers by itself when the server is back.</li>
 *   <li><b>Schema</b>: the tables live in the schema {@code waterfall}, created and upgraded by the
 *       module's Flyway migrations on first use (the user needs the privilege to create it once).</li>
 *   <li><b>Failover</b>: with several hosts and {@code target_session_attrs=read-write}, a write waits
 *       out a failover (up to {@code failover_timeout}) and carries a change id, so a commit whose
 *       outcome was lost is settled on the next server and never applied twice.</li>
 *   <li><b>Watch</b>: {@code LISTEN/NOTIFY}; another process's commit is seen at once.</li>
 * </ul>
 *
 * <p>Found with {@link java.util.ServiceLoader}, or register it by hand:
 * {@code Waterfall.builder("app").provider(new PostgresStoreProvider())}.
 */
public final class PostgresStoreProvider implements ConfigStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public ConfigStore open(StoreUri uri, StoreContext context) {
        PostgresTarget target = PostgresTarget.parse(uri, context);
        PostgresPools.Pool pool = context.services().get(PostgresPools.class, () -> new PostgresPools(context.app())).pool(target);
        return SqlStore.open(target.location(), target.namespace(), new PostgresDialect(), new PostgresConnections(pool.pooled(), java.time.Duration.ofSeconds(target.failoverTimeoutSeconds())),
                context, store -> new PostgresChangeFeed(store, pool.direct()), target.historyKept());
    }
}
