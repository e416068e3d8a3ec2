package dev.waterfall.sqlite;

import dev.waterfall.jdbc.RawRows;
import dev.waterfall.jdbc.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * SQLite's differences: writes start with {@code BEGIN IMMEDIATE}, so a writer waits (up to the busy
 * timeout) for the file's one write lock before it reads anything and never has to retry; instants
 * are ISO-8601 text; {@code PRAGMA data_version} tells cheaply whether another connection committed.
 */
final class SqliteDialect implements SqlDialect {

    /** The schema version of the newest migration in {@code dev/waterfall/sqlite/migration}. */
    static final String SCHEMA_VERSION = "1";

    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private final long busyTimeoutMillis;
    /** The database file, so that a refusal can say when its file system is read-only; null if unknown. */
    private final java.nio.file.Path file;

    SqliteDialect(long busyTimeoutMillis) {
        this(busyTimeoutMillis, null);
    }

    SqliteDialect(long busyTimeoutMillis, java.nio.file.Path file) {
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.file = file;
    }

    @Override
    public String databaseName() {
        return "SQLite";
    }

    @Override
    public String schema() {
        return null;
    }

    @Override
    public String migrationLocation() {
        return "classpath:dev/waterfall/sqlite/migration";
    }

    @Override
    public String schemaVersion() {
        return SCHEMA_VERSION;
    }

    // The connection stays in JDBC auto-commit mode and the transaction is driven with SQL: the
    // driver's own transaction handling begins the next transaction right after each commit, which
    // would hold the write lock between writes.
    @Override
    public void begin(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            return;
        }
        execute(connection, "ROLLBACK");
    }

    // In WAL mode a deferred transaction reads one snapshot from its first statement on, and
    // writers go on committing meanwhile.
    @Override
    public void beginSnapshot(Connection connection) throws SQLException {
        execute(connection, "BEGIN DEFERRED");
    }

    @Override
    public void endSnapshot(Connection connection) throws SQLException {
        execute(connection, "ROLLBACK");
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setString(index, instant.toString());
    }

    @Override
    public Instant getInstant(ResultSet row, int column) throws SQLException {
        return Instant.parse(row.getString(column));
    }

    /** Pages of rows joined by SQLite, checked and split here: {@link PagedRawRows}. */
    @Override
    public RawRows rawRows(Connection connection, String entriesTable, String namespace) throws SQLException {
        return new PagedRawRows(connection, entriesTable, namespace);
    }

    @Override
    public OptionalLong changeToken(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA data_version")) {
            row.next();
            return OptionalLong.of(row.getLong(1));
        }
    }

    @Override
    public Failure classify(SQLException failure) {
        int code = primaryCode(failure);
        return code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? Failure.BROKEN : Failure.UNAVAILABLE;
    }

    @Override
    public String advice(SQLException failure) {
        return switch (primaryCode(failure)) {
            case SQLITE_BUSY, SQLITE_LOCKED -> "another process held the database's write lock for more than "
                    + busyTimeoutMillis / 1000 + " s; try again";
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN -> readOnlyFileSystem()
                    ? "the file system holding " + file.getParent() + " is read-only (EROFS): remount it read-write or keep the store elsewhere"
                    : "check that the file and its folder exist and are writable by this user";
            case SQLITE_FULL -> "the disk is full; free some space";
            default -> "";
        };
    }

    /** Whether the file system of the database's folder (or of its nearest existing ancestor) is mounted read-only. */
    private boolean readOnlyFileSystem() {
        for (java.nio.file.Path at = file == null ? null : file.getParent(); at != null; at = at.getParent()) {
            try {
                return java.nio.file.Files.getFileStore(at).isReadOnly();
            } catch (java.io.IOException e) {
                // absent: ask its parent
            }
        }
        return false;
    }

    private static int primaryCode(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() != 0) {
                return sql.getErrorCode() & 0xff;
            }
        }
        return 0;
    }
}
