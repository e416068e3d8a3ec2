package dev.waterfall.jdbc;

import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.WaterfallException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Brings a database to the schema version of the backend's migrations, once per store: a cheap
 * look at Flyway's history table on every first use, Flyway itself only when the database is new or
 * older. A database at a newer version than this Waterfall knows is refused, never downgraded.
 *
 * <p>Several processes may open a new database at once. Flyway serializes them on PostgreSQL (an
 * advisory lock) but not on SQLite, where two processes can race to create the tables; the loser's
 * migration fails and is rolled back (SQLite's DDL is transactional), so after a failure this looks
 * again and accepts a database that another process has migrated meanwhile.
 */
final class SqlSchema {

    private static final System.Logger LOG = System.getLogger(SqlSchema.class.getName());

    /** Flyway's history table, in {@link SqlDialect#schema()}. */
    static final String HISTORY_TABLE = "flyway_schema_history";

    private static final int ATTEMPTS = 6;

    private final SqlDialect dialect;
    private final SqlConnections connections;
    private final String location;
    private final MigrationVersion expected;
    private volatile boolean ready;

    SqlSchema(SqlDialect dialect, SqlConnections connections, String location) {
        this.dialect = dialect;
        this.connections = connections;
        this.location = location;
        this.expected = MigrationVersion.fromVersion(dialect.schemaVersion());
    }

    /**
     * Makes sure the database is at this backend's schema version before a write, migrating it if it
     * is new or older.
     *
     * @param connection a connection of the store's, used for the cheap checks
     * @throws StoreBrokenException if the database was migrated by a newer Waterfall, or holds tables
     *                              that are not Waterfall's
     */
    void ensure(Connection connection) throws SQLException {
        prepare(connection, false);
    }

    /**
     * Makes sure the database can be read at this backend's schema version: migrates an older schema,
     * but leaves a database that has no tables at all as it is and answers {@code false}, so that a
     * read finds an empty store. Only a write creates the tables: a read never changes a database
     * (a reader may not be allowed to), and three programs starting on a new store do not all race to
     * migrate it.
     *
     * @param connection a connection of the store's, used for the checks
     * @return whether the tables exist, at this backend's version
     * @throws StoreBrokenException as {@link #ensure}
     */
    boolean readable(Connection connection) throws SQLException {
        return prepare(connection, true);
    }

    private boolean prepare(Connection connection, boolean forRead) throws SQLException {
        if (ready) {
            return true;
        }
        synchronized (this) {
            if (ready) {
                return true;
            }
            Optional<MigrationVersion> current = currentVersion(connection);
            if (current.isPresent() && current.get().compareTo(expected) > 0) {
                throw newer(current.get());
            }
            if (forRead && current.isEmpty() && !hasTables(connection)) {
                return false;
            }
            if (current.isEmpty() || current.get().compareTo(expected) < 0) {
                migrate(connection, current);
            }
            ready = true;
            return true;
        }
    }

    /** Whether the backend's schema (the whole database where it has none) holds any table. */
    private boolean hasTables(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, dialect.schema(), "%", new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    private void migrate(Connection connection, Optional<MigrationVersion> from) throws SQLException {
        FluentConfiguration configuration = Flyway.configure(dialect.getClass().getClassLoader())
                .dataSource(connections.migrationSource())
                .locations(dialect.migrationLocation())
                .table(HISTORY_TABLE)
                .loggers("slf4j")
                .cleanDisabled(true)
                .placeholderReplacement(false)
                .validateMigrationNaming(true);
        if (dialect.schema() != null) {
            configuration.schemas(dialect.schema()).createSchemas(true);
        }
        Flyway flyway = configuration.load();
        FlywayException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int applied = flyway.migrate().migrationsExecuted;
                if (applied > 0) {
                    // A new database is routine; an upgrade of an existing one is worth a line in the log.
                    LOG.log(from.isEmpty() ? Level.DEBUG : Level.INFO, "migrated " + location + " from schema version "
                            + from.map(MigrationVersion::getVersion).orElse("(none)") + " to " + expected.getVersion());
                }
            } catch (FlywayException e) {
                last = e;
                LOG.log(Level.DEBUG, "migrating " + location + " failed (attempt " + attempt + " of " + ATTEMPTS + "): "
                        + firstLine(e.getMessage()) + "; looking whether another process migrated it meanwhile");
            }
            Optional<MigrationVersion> now = currentVersion(connection);
            if (now.isPresent() && now.get().compareTo(expected) > 0) {
                throw newer(now.get());
            }
            if (now.isPresent() && now.get().compareTo(expected) == 0) {
                return;
            }
            if (last != null && isForeignSchema(last)) {
                break;
            }
            // Another process is migrating the same database right now: give it a moment.
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw failed(last);
    }

    /** The highest successfully applied migration, or empty if the database has no migration history. */
    private Optional<MigrationVersion> currentVersion(Connection connection) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        boolean exists;
        try (ResultSet tables = metadata.getTables(null, dialect.schema(), HISTORY_TABLE, null)) {
            exists = false;
            while (tables.next()) {
                exists |= HISTORY_TABLE.equalsIgnoreCase(tables.getString("TABLE_NAME"));
            }
        }
        if (!exists) {
            return Optional.empty();
        }
        MigrationVersion highest = null;
        // Constants only: the schema and table names are the dialect's and this class's, not input.
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, success FROM " + qualified(HISTORY_TABLE))) {
            while (rows.next()) {
                String version = rows.getString(1);
                if (version != null && rows.getBoolean(2)) {
                    MigrationVersion candidate = MigrationVersion.fromVersion(version);
                    if (highest == null || candidate.compareTo(highest) > 0) {
                        highest = candidate;
                    }
                }
            }
        }
        return Optional.ofNullable(highest);
    }

    private String qualified(String table) {
        return dialect.schema() == null ? table : dialect.schema() + "." + table;
    }

    private StoreBrokenException newer(MigrationVersion found) {
        return new StoreBrokenException(location, 0, 0, "the database is at schema version " + found.getVersion()
                + ", written by a newer Waterfall; this version knows schema versions up to " + expected.getVersion()
                + ". Upgrade Waterfall to use this store; nothing was changed (a database is never downgraded)");
    }

    private static boolean isForeignSchema(FlywayException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("non-empty schema") || message.contains("no schema history table");
    }

    private WaterfallException failed(FlywayException e) {
        if (e == null) {
            return new StoreUnavailableException("cannot bring " + location + " to schema version " + expected.getVersion()
                    + ": another process kept migrating it; try again");
        }
        if (isForeignSchema(e)) {
            return new StoreBrokenException(location, 0, 0, "the " + dialect.databaseName()
                    + " database holds tables that are not Waterfall's and no Waterfall schema history; "
                    + "Waterfall will not change it. Point the store at a new file or database", e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && dialect.classify(sql) == SqlDialect.Failure.BROKEN) {
                return new StoreBrokenException(location, 0, 0, "the " + dialect.databaseName() + " database cannot be read: "
                        + sql.getMessage() + "; nothing was changed", e);
            }
        }
        return new StoreUnavailableException("cannot bring " + location + " to schema version " + expected.getVersion()
                + ": " + firstLine(e.getMessage()) + "; nothing was changed", e);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
