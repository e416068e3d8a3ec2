/**
 * The SQLite store ({@code sqlite:PATH}): one database file in WAL mode for one machine, on the SQL
 * store core. Its schema migrations live in {@code dev.waterfall.sqlite.migration}, opened so that
 * Flyway can read them.
 */
module dev.waterfall.sqlite {
    requires dev.waterfall.config;
    requires dev.waterfall.jdbc;
    requires dev.waterfall.file;
    requires org.xerial.sqlitejdbc;

    exports dev.waterfall.sqlite;
    opens dev.waterfall.sqlite.migration;

    provides dev.waterfall.config.spi.ConfigStoreProvider with dev.waterfall.sqlite.SqliteStoreProvider;
}
