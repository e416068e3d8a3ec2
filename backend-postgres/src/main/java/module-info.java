/**
 * The PostgreSQL store ({@code postgresql://host:port/db?namespace=NAME}): a namespace in a shared
 * database for many users and machines, with a connection pool and {@code LISTEN/NOTIFY} change
 * events, on the SQL store core. Its schema migrations live in {@code dev.waterfall.postgres.migration},
 * opened so that Flyway can read them.
 */
module dev.waterfall.postgres {
    requires dev.waterfall.config;
    requires dev.waterfall.jdbc;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires flyway.database.postgresql;

    exports dev.waterfall.postgres;
    opens dev.waterfall.postgres.migration;

    provides dev.waterfall.config.spi.ConfigStoreProvider with dev.waterfall.postgres.PostgresStoreProvider;
}
