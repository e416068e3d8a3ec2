package dev.waterfall.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The ids of a namespace's recent writes, in the table {@code changes(namespace, change_id,
 * revision, at)}: each write records its id in its own transaction, so the id is in the table if and
 * only if the write committed. A writer that lost its connection while committing (a server crash, a
 * failover) asks for the id on the server it reaches next, after locking the namespace as any write
 * does: found, the write happened and is not made again; not found, it did not happen (the
 * transaction that would have recorded it is over, since the lock is free) and is made now. So a
 * write whose outcome the client could not learn is applied exactly once. See
 * {@code docs/reliability.md}, "PostgreSQL failover".
 *
 * <p>Ids are kept for {@link #KEPT_HOURS} hours, far longer than any retry waits; every
 * {@link #PRUNE_EVERY} revisions a write removes older ones.
 */
final class ChangeLedger {

    static final int KEPT_HOURS = 24;
    static final int PRUNE_EVERY = 100;

    private final String table;
    private final String namespace;

    /**
     * @param table the table's name, qualified by the schema where there is one (a constant, written into SQL)
     */
    ChangeLedger(String table, String namespace) {
        this.table = table;
        this.namespace = namespace;
    }

    /** Records, inside the write's transaction, that change {@code id} made {@code revision}. */
    void record(Connection connection, UUID id, long revision, java.time.Instant now, SqlDialect dialect) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (namespace, change_id, revision, at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, namespace);
            insert.setObject(2, id);
            insert.setLong(3, revision);
            dialect.setInstant(insert, 4, now);
            insert.executeUpdate();
        }
        if (revision % PRUNE_EVERY == 0) {
            try (PreparedStatement prune = connection.prepareStatement("DELETE FROM " + table + " WHERE namespace = ? AND at < ?")) {
                prune.setString(1, namespace);
                dialect.setInstant(prune, 2, now.minus(java.time.Duration.ofHours(KEPT_HOURS)));
                prune.executeUpdate();
            }
        }
    }

    /** The revision change {@code id} made, if it committed; call with the namespace locked. */
    OptionalLong find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT revision FROM " + table + " WHERE namespace = ? AND change_id = ?")) {
            select.setString(1, namespace);
            select.setObject(2, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        }
    }
}
