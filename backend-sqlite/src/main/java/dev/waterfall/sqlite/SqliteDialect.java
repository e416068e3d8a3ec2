package dev.waterfall.sqlite;

import dev.waterfall.config.spi.CanonicalText;
import dev.waterfall.jdbc.RawRow;
import dev.waterfall.jdbc.SqlDialect;

import java.nio.charset.StandardCharsets;
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

    /** The text columns of a packed row ({@link #rawRowColumns()}), in order. */
    private static final String[] PACKED_TEXT = {"key", "value", "type", "updated_at", "updated_by_surface", "updated_by_user",
            "updated_by_host"};

    private final long busyTimeoutMillis;

    SqliteDialect(long busyTimeoutMillis) {
        this.busyTimeoutMillis = busyTimeoutMillis;
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

    /** The stored text as it is when it is canonical (Waterfall's own writes), else rewritten; no {@code Instant} made. */
    @Override
    public String getInstantText(ResultSet row, int column) throws SQLException {
        return CanonicalText.instant(row.getString(column));
    }

    /**
     * One column per row: the driver's cost is per column read (a JNI call, checks, a copy), nine
     * columns took about twice as long as one. SQLite packs a row as the UTF-8 byte lengths of the
     * text columns ({@code -1} for a NULL type), the two integers, {@code ':'} and the texts one
     * after the other; lengths, not separators, so any text is read back exactly.
     */
    @Override
    public String rawRowColumns() {
        StringBuilder sql = new StringBuilder();
        for (String column : PACKED_TEXT) {
            sql.append("ifnull(length(CAST(").append(column).append(" AS BLOB)), -1) || ',' || ");
        }
        sql.append("revision || ',' || updated_by_pid || ':'");
        for (String column : PACKED_TEXT) {
            sql.append(" || ifnull(").append(column).append(", '')");
        }
        return sql.toString();
    }

    @Override
    public RawRow readRawRow(ResultSet row) throws SQLException {
        byte[] packed = row.getBytes(1);
        Packed reader = new Packed(packed);
        int[] lengths = new int[PACKED_TEXT.length];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) reader.number(',');
        }
        long revision = reader.number(',');
        long pid = reader.number(':');
        String[] texts = new String[PACKED_TEXT.length];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = reader.text(lengths[i]);
        }
        if (reader.at != packed.length) {
            throw new SQLException("a packed row of entries has " + (packed.length - reader.at) + " bytes too many");
        }
        return new RawRow(texts[0], texts[1], texts[2], revision, CanonicalText.instant(texts[3]), texts[4], texts[5], texts[6], pid);
    }

    /** Reads a packed row from the front. */
    private static final class Packed {
        private final byte[] bytes;
        private int at;

        Packed(byte[] bytes) {
            this.bytes = bytes;
        }

        long number(char end) throws SQLException {
            boolean negative = at < bytes.length && bytes[at] == '-';
            if (negative) {
                at++;
            }
            long value = 0;
            int start = at;
            while (at < bytes.length && bytes[at] >= '0' && bytes[at] <= '9') {
                value = value * 10 + (bytes[at++] - '0');
            }
            if (at == start || at >= bytes.length || bytes[at] != end) {
                throw new SQLException("a packed row of entries is malformed at byte " + at);
            }
            at++;
            return negative ? -value : value;
        }

        String text(int length) throws SQLException {
            if (length < 0) {
                return null;
            }
            if (length > bytes.length - at) {
                throw new SQLException("a packed row of entries is shorter than its lengths say");
            }
            String text = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }
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
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN -> "check that the file and its folder exist and are writable by this user";
            case SQLITE_FULL -> "the disk is full; free some space";
            default -> "";
        };
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
