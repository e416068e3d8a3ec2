/**
 * The core of Waterfall's SQL stores: one {@link dev.waterfall.config.ConfigStore} implementation on
 * JDBC, adapted to a database by a small {@link dev.waterfall.jdbc.SqlDialect} and a
 * {@link dev.waterfall.jdbc.SqlConnections}. For authors of SQL backends (the SQLite and PostgreSQL
 * modules); programs use a store through {@code dev.waterfall.config} only.
 */
module dev.waterfall.jdbc {
    requires transitive dev.waterfall.config;
    requires transitive java.sql;
    requires flyway.core;
    requires org.slf4j;

    exports dev.waterfall.jdbc;
}
