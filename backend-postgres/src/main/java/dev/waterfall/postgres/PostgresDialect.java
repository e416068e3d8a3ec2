package dev.waterfall.postgres;

import dev.waterfall.config.Key;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.jdbc.RawRows;
import dev.waterfall.jdbc.SqlDialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Set;

/**
 * PostgreSQL's differences: tables in the schema {@code waterfall}, instants as {@code timestamptz},
 * transactions through JDBC, and a {@code pg_notify} inside each write transaction, which PostgreSQL
 * delivers to the namespace's listeners only if the transaction commits.
 */
final class PostgresDialect implements SqlDialect {

    /** The schema version of the newest migration in {@code dev/waterfall/postgres/migration}. */
    static final String SCHEMA_VERSION = "1";
    /** PostgreSQL refuses notification payloads of 8000 bytes or more. */
    private static final int MAX_PAYLOAD_BYTES = 7_500;

    @Override
    public String databaseName() {
        return "PostgreSQL";
    }

    @Override
    public String schema() {
        return "waterfall";
    }

    @Override
    public String migrationLocation() {
        return "classpath:dev/waterfall/postgres/migration";
    }

    @Override
    public String schemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    public void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Instant getInstant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The rows through {@code COPY ... TO STDOUT}, parsed here: {@link CopyRawRows}. */
    @Override
    public RawRows rawRows(Connection connection, String entriesTable, String namespace) throws SQLException {
        return CopyRawRows.open(connection, entriesTable, namespace);
    }

    @Override
    public void beforeCommit(Connection connection, String namespace, long revision, Set<Key> keys) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel(namespace));
            notify.setString(2, payload(namespace, revision, keys));
            notify.executeQuery().close();
        }
    }

    /**
     * The notification channel of a namespace: derived from a hash, because a channel is an
     * identifier (written into {@code LISTEN}, never bound as a parameter) and a namespace is any text.
     */
    static String channel(String namespace) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(namespace.getBytes(StandardCharsets.UTF_8));
            return "waterfall_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** {@code {"namespace":..,"revision":N,"keys":[..]}}; the keys are left out when they would not fit. */
    static String payload(String namespace, long revision, Set<Key> keys) {
        StringBuilder out = new StringBuilder("{\"namespace\":");
        JsonValues.appendString(namespace, true, out);
        out.append(",\"revision\":").append(revision);
        int base = out.length();
        out.append(",\"keys\":[");
        boolean first = true;
        for (Key key : keys) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonValues.appendString(key.path(), true, out);
            if (out.length() > MAX_PAYLOAD_BYTES) {
                out.setLength(base);
                return out.append('}').toString();
            }
        }
        return out.append("]}").toString();
    }

    @Override
    public Failure classify(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("XX001".equals(state) || "XX002".equals(state)) {
                    return Failure.BROKEN;
                }
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))
                        && !(sql instanceof SQLTransientConnectionException)) {
                    return Failure.CONNECTION_LOST;
                }
            }
        }
        return Failure.UNAVAILABLE;
    }

    @Override
    public String advice(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")) {
                    return "is the server running and reachable? Waterfall reconnects by itself once it is";
                }
                if (state.startsWith("28")) {
                    return "check the user and the password (in the URI, PGPASSWORD or ~/.pgpass)";
                }
                if (state.equals("3D000")) {
                    return "create the database first (createdb), or name another one in the URI";
                }
                if (state.equals("42501") || state.equals("42P06")) {
                    return "the user needs the privilege to create and use the schema \"waterfall\" in this database";
                }
                if (state.equals("55P03")) {
                    return "another writer held this namespace for more than " + PostgresPools.LOCK_TIMEOUT_MILLIS / 1000 + " s; try again";
                }
            }
        }
        return "";
    }
}
