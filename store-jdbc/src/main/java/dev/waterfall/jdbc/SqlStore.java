package dev.waterfall.jdbc;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.engine.WriteRules;
import dev.waterfall.config.rows.CanonicalText;
import dev.waterfall.config.engine.Revisions;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.rows.RawEntryCursor;
import dev.waterfall.config.rows.RawEntrySource;
import dev.waterfall.config.spi.StoreContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link ConfigStore} in a relational database: one namespace's entries, their history and the
 * namespace's revision, in the tables {@link SqlDialect} describes. The SQLite and PostgreSQL
 * backends are this class plus a dialect and a source of connections.
 *
 * <ul>
 *   <li><b>Writes</b> are one transaction each. It first locks the namespace's row in
 *       {@code namespaces} (an upsert), which serializes the writers of a namespace on every
 *       database and gives each write the next revision; then it checks each change's expected
 *       revision and the leaf rule (with range queries on the sorted keys, counting the batch's own
 *       earlier changes), writes the changed entries and one history row per changed key, and
 *       commits. A batch that changes nothing rolls back and keeps the revision.</li>
 *   <li><b>Reads</b> are single statements, so a snapshot is consistent. Where the dialect can tell
 *       cheaply that nobody committed since the last read ({@link SqlDialect#changeToken}), reads
 *       are answered from memory.</li>
 *   <li><b>Values</b> are kept as canonical JSON text ({@link JsonValues}) plus a type label for
 *       what JSON cannot say (date-times, {@code inf}/{@code nan}), so every value round-trips
 *       exactly. Every statement is parameterised.</li>
 *   <li><b>The schema</b> is created and upgraded by the backend's Flyway migrations on first use;
 *       a database migrated by a newer Waterfall is a {@link StoreBrokenException}.</li>
 * </ul>
 *
 * <p>Thread-safe.
 *
 * <p>Why this class is still long (about 900 lines): reads with their cache, the commit protocol
 * and copies share the table names, the dialect and the connection handling; the cursors are
 * {@link SqlCursors}, the write rules {@code WriteRules}, and the next cut is the copies
 * (docs/architecture.md, "One set of write rules, engines by phase").
 */
public final class SqlStore implements ConfigStore, RawEntrySource {

    /** How many keys go into one {@code IN (...)} list. */
    private static final int IN_CHUNK = 500;
    /** How many single-key reads are remembered while the database is unchanged. */
    private static final int KEY_CACHE_LIMIT = 10_000;

    static final String ENTRY_COLUMNS = "value, type, revision, updated_at, updated_by_surface, updated_by_user, updated_by_host, updated_by_pid";

    final String location;
    final String namespace;
    final SqlDialect dialect;
    final SqlConnections connections;
    private final StoreContext context;
    final SqlSchema schema;
    private final ChangeFeed feed;
    private final JsonValues json = new JsonValues();
    private final Set<AutoCloseable> watches = ConcurrentHashMap.newKeySet();
    private volatile ReadCache cache;
    private volatile boolean closed;

    final String namespacesTable;
    final String entriesTable;
    private final String historyTable;

    /**
     * What the database held when a connection's change token had a value: the whole snapshot if
     * one was read, and single keys as they were read.
     */
    private record ReadCache(Connection connection, long token, Snapshot snapshot, Map<Key, Optional<Entry>> keys) {
    }

    /** History kept by default: the changes of the newest 100,000 revisions of a namespace. */
    public static final long DEFAULT_HISTORY_KEPT = 100_000;

    /** {@link #open}'s {@code historyKept} for a history that is never pruned. */
    public static final long ALL_HISTORY = Long.MAX_VALUE;

    private final long historyKept;

    private SqlStore(String location, String namespace, SqlDialect dialect, SqlConnections connections, StoreContext context,
                     Function<SqlStore, ChangeFeed> feed, long historyKept) {
        this.historyKept = historyKept;
        this.location = location;
        this.namespace = namespace;
        this.dialect = dialect;
        this.connections = connections;
        this.context = context;
        this.schema = new SqlSchema(dialect, connections, location);
        String prefix = dialect.schema() == null ? "" : dialect.schema() + ".";
        this.namespacesTable = prefix + "namespaces";
        this.entriesTable = prefix + "entries";
        this.historyTable = prefix + "history";
        this.feed = feed == null ? null : feed.apply(this);
    }

    /**
     * A store of one namespace of a database. Nothing is read or written until it is used.
     *
     * @param location    the store as it may be printed, never with a password; names the file or
     *                    host:port, database and namespace
     * @param namespace   the namespace whose keys this store sees; any text
     * @param dialect     the database's differences
     * @param connections where connections come from; closed with the store
     * @param context     the world the store is opened in (actor, clock)
     * @param feed        makes the change notifications for {@link #watch}, or {@code null} to poll
     */
    public static SqlStore open(String location, String namespace, SqlDialect dialect, SqlConnections connections,
                                StoreContext context, Function<SqlStore, ChangeFeed> feed) {
        return open(location, namespace, dialect, connections, context, feed, DEFAULT_HISTORY_KEPT);
    }

    /**
     * As {@link #open(String, String, SqlDialect, SqlConnections, StoreContext, Function)}, keeping the
     * history of the newest {@code historyKept} revisions of the namespace: every {@code min(historyKept, 100)}
     * revisions a write removes, in its own transaction, the records of older ones ({@link #ALL_HISTORY}
     * keeps everything). So the history of a store written all day stays bounded, as a file store's does.
     */
    public static SqlStore open(String location, String namespace, SqlDialect dialect, SqlConnections connections,
                                StoreContext context, Function<SqlStore, ChangeFeed> feed, long historyKept) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(context, "context");
        if (historyKept < 1) {
            throw new IllegalArgumentException("keep the history of at least one revision, not " + historyKept);
        }
        return new SqlStore(location, namespace, dialect, connections, context, feed, historyKept);
    }

    /**
     * Reads a store URI's {@code history} option: a whole number of revisions from 1, or {@code all}.
     *
     * @throws InvalidValueException naming the URI otherwise
     */
    public static long historyOption(StoreUri uri, String value) {
        if (value.equals("all")) {
            return ALL_HISTORY;
        }
        try {
            long revisions = Long.parseLong(value);
            if (revisions >= 1) {
                return revisions;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InvalidValueException("store " + uri + ": history must be a number of revisions from 1, or all, not \"" + value + "\"");
    }

    @Override
    public String location() {
        return location;
    }

    /** The namespace this store sees. */
    public String namespace() {
        return namespace;
    }

    // ---------------------------------------------------------------- reading

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs a read on a reader connection; once more on a fresh connection if the connection broke
     * (a server restart leaves dead connections in a pool). Answers {@code whenAbsent} when the
     * database or its tables do not exist yet (nothing was ever written).
     */
    private <T> T read(Work<T> work, T whenAbsent) {
        checkOpen();
        for (int attempt = 0; ; attempt++) {
            Connection connection = null;
            boolean failed = false;
            try {
                Optional<Connection> reader = connections.reader();
                if (reader.isEmpty()) {
                    return whenAbsent;
                }
                connection = reader.get();
                if (!schema.readable(connection)) {
                    return whenAbsent; // nothing was ever written: an empty store
                }
                return work.run(connection);
            } catch (SQLException e) {
                failed = true;
                if (connection != null && attempt == 0 && dialect.classify(e) == SqlDialect.Failure.CONNECTION_LOST) {
                    continue;
                }
                throw failure(e, "read", false, false);
            } catch (RuntimeException e) {
                failed = true;
                throw e;
            } finally {
                if (connection != null) {
                    connections.release(connection, failed);
                }
            }
        }
    }

    @Override
    public Optional<Entry> get(Key key) {
        Objects.requireNonNull(key, "key");
        return read(connection -> {
            OptionalLong token = dialect.changeToken(connection);
            ReadCache cached = validCache(connection, token);
            if (cached != null) {
                if (cached.snapshot() != null) {
                    return cached.snapshot().get(key);
                }
                Optional<Entry> known = cached.keys().get(key);
                if (known != null) {
                    return known;
                }
            }
            Optional<Entry> entry = queryEntry(connection, key);
            if (token.isPresent()) {
                ReadCache current = cached != null ? cached
                        : new ReadCache(connection, token.getAsLong(), null, new ConcurrentHashMap<>());
                if (current.keys().size() < KEY_CACHE_LIMIT) {
                    current.keys().put(key, entry);
                }
                cache = current;
            }
            return entry;
        }, Optional.empty());
    }

    @Override
    public Snapshot snapshot() {
        return read(connection -> {
            OptionalLong token = dialect.changeToken(connection);
            ReadCache cached = validCache(connection, token);
            if (cached != null && cached.snapshot() != null) {
                return cached.snapshot();
            }
            Snapshot snapshot = querySnapshot(connection);
            if (token.isPresent()) {
                cache = new ReadCache(connection, token.getAsLong(), snapshot, new ConcurrentHashMap<>());
            }
            return snapshot;
        }, new Snapshot(0, Map.of()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Streams the namespace's rows in key order from one read transaction
     * ({@link SqlDialect#beginSnapshot}), a few hundred rows per round trip, so an export of
     * millions of keys needs no more memory than one of a few. The revision and the number of
     * entries are read first, in the same transaction; the rows only when the first is asked for.
     * The cursor holds a reader connection until it is closed (a SQLite store has one: other
     * threads' reads of this store instance wait for the cursor to close).
     */
    @Override
    public EntryCursor cursor() {
        EntryCursor cursor = SqlCursors.open(this, SqlCursors.Typed::new, true);
        return cursor != null ? cursor : EntryCursor.of(new Snapshot(0, Map.of()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same rows as {@link #cursor()}, from one read transaction in the same way, handed out
     * as the text the columns hold: the JSON text is passed on when it is canonical
     * ({@link CanonicalText#jsonType}, which Waterfall's own writes always are) and the time comes
     * as text ({@link SqlDialect#rawRows}), so no row is decoded into objects. A row that is
     * not canonical (written by hand, or a date-time or non-finite number, which need their type
     * label) is decoded and encoded again, so the text is always what {@code cursor()} would give;
     * a row that {@code cursor()} would refuse is refused in the same way.
     */
    @Override
    public RawEntryCursor rawCursor(boolean counted) {
        RawEntryCursor cursor = SqlCursors.open(this, SqlCursors.Raw::new, counted);
        return cursor != null ? cursor : new SqlCursors.Raw(this, null, 0, 0);
    }

    /** The namespace's current revision, freshly read: one small query. */
    public long revision() {
        return read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT revision FROM " + namespacesTable + " WHERE namespace = ?")) {
                statement.setString(1, namespace);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        }, 0L);
    }

    private ReadCache validCache(Connection connection, OptionalLong token) {
        ReadCache cached = cache;
        if (cached != null && token.isPresent() && cached.connection() == connection && cached.token() == token.getAsLong()) {
            return cached;
        }
        return null;
    }

    private Optional<Entry> queryEntry(Connection connection, Key key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + ENTRY_COLUMNS + " FROM " + entriesTable + " WHERE namespace = ? AND key = ?")) {
            statement.setString(1, namespace);
            statement.setString(2, key.path());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(entry(key, row, 1)) : Optional.empty();
            }
        }
    }

    private Snapshot querySnapshot(Connection connection) throws SQLException {
        // One statement, so the revision and the entries are of one moment.
        String sql = "SELECT n.revision, e.key, e." + ENTRY_COLUMNS.replace(", ", ", e.")
                + " FROM " + namespacesTable + " n LEFT JOIN " + entriesTable + " e ON e.namespace = n.namespace"
                + " WHERE n.namespace = ? ORDER BY e.key";
        long revision = 0;
        Map<Key, Entry> entries = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, namespace);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    revision = row.getLong(1);
                    String path = row.getString(2);
                    if (path != null) {
                        Key key = storedKey(path);
                        entries.put(key, entry(key, row, 3));
                    }
                }
            }
        }
        return new Snapshot(revision, entries);
    }

    Key storedKey(String path) {
        try {
            Key key = Key.of(path);
            if (!key.path().equals(path)) { // a row written by hand: updates by the key's text would miss it
                throw new StoreBrokenException(location, 0, 0, "holds a row whose key \"" + dev.waterfall.config.spi.Echo.of(path)
                        + "\" is not written as Waterfall writes that key (" + dev.waterfall.config.spi.Echo.of(key.path())
                        + "); it was not written by Waterfall: rename that row's key to " + dev.waterfall.config.spi.Echo.of(key.path()));
            }
            return key;
        } catch (InvalidKeyException e) {
            throw new StoreBrokenException(location, 0, 0, "holds a row whose key is not a valid key (" + e.getMessage()
                    + "); it was not written by Waterfall: remove or rename that row", e);
        }
    }

    /** The entry in columns {@code first ..} of {@link #ENTRY_COLUMNS}. */
    Entry entry(Key key, ResultSet row, int first) throws SQLException {
        Value value = decode(key, row.getString(first), row.getString(first + 1));
        Actor by = new Actor(row.getString(first + 4), row.getString(first + 5), row.getString(first + 6), row.getLong(first + 7));
        return new Entry(key, value, row.getLong(first + 2), dialect.getInstant(row, first + 3), by, 0);
    }

    Value decode(Key key, String text, String type) {
        try {
            return json.decodeTyped(text, type);
        } catch (InvalidValueException | NullPointerException e) {
            throw new StoreBrokenException(location, 0, 0, "the value of " + key + " is not valid (" + e.getMessage()
                    + "); it was not written by Waterfall: fix or remove that row", e);
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Commit apply(List<? extends Change> changes) {
        List<Change> batch = List.copyOf(changes);
        if (batch.isEmpty()) {
            return new Commit(snapshot().revision(), List.of(), List.of());
        }
        return writeTransaction("write", connection -> {
            Plan plan = plan(connection, batch);
            if (plan.edits().isEmpty()) {
                return new Outcome<>(new Commit(plan.revision(), List.of(), List.of()), false);
            }
            return new Outcome<>(write(connection, plan), true);
        });
    }

    /** What a write transaction made, and whether to commit it (or roll back: nothing to write). */
    private record Outcome<T>(T value, boolean commit) {
    }

    /** The work of one write transaction. */
    @FunctionalInterface
    private interface Transaction<T> {
        Outcome<T> run(Connection connection) throws SQLException;
    }

    /**
     * The skeleton of every write: the writer connection, the schema, one transaction begun the
     * dialect's way, {@code work}, then commit (or roll back when the work wrote nothing or failed),
     * and a failure mapped to what the caller can do about it. A connection that failed is
     * released as broken; a refused write (a {@link WaterfallException}, a bad argument) leaves
     * it good.
     */
    private <T> T writeTransaction(String what, Transaction<T> work) {
        checkOpen();
        Connection connection = null;
        boolean failed = false;
        boolean committing = false;
        try {
            connection = connections.writer();
            schema.ensure(connection);
            dialect.begin(connection);
            Outcome<T> outcome;
            try {
                outcome = work.run(connection);
                if (!outcome.commit()) {
                    dialect.rollback(connection);
                    return outcome.value();
                }
                committing = true;
                dialect.commit(connection);
            } catch (SQLException | RuntimeException e) {
                if (!committing) {
                    rollbackQuietly(connection, e);
                }
                throw e;
            }
            cache = null;
            return outcome.value();
        } catch (SQLException e) {
            failed = true;
            throw failure(e, what, true, committing);
        } catch (RuntimeException e) {
            failed = !(e instanceof WaterfallException) && !(e instanceof IllegalArgumentException);
            throw e;
        } finally {
            if (connection != null) {
                connections.release(connection, failed);
            }
        }
    }

    private void rollbackQuietly(Connection connection, Exception cause) {
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The checked changes of a batch, at the namespace's revision before it. */
    private record Plan(long revision, List<WriteRules.Edit> edits) {
    }

    /**
     * Locks the namespace, then plans the batch by the rules every store shares
     * ({@link WriteRules#plan}): the touched keys' entries are read at once, the leaf rule asks the
     * database for the keys around each key it sets.
     */
    private Plan plan(Connection connection, List<Change> batch) throws SQLException {
        long revision = lockNamespace(connection);
        Set<Key> touchedKeys = new LinkedHashSet<>();
        for (Change change : batch) {
            touchedKeys.add(change.key());
        }
        Map<Key, Entry> before = fetch(connection, touchedKeys);
        WriteRules.Plan plan = WriteRules.plan(batch, null, new WriteRules.Stored<SQLException>() {
            @Override
            public long revision(Key key) {
                Entry entry = before.get(key);
                return entry == null ? Change.ABSENT : entry.revision();
            }

            @Override
            public Value value(Key key) {
                Entry entry = before.get(key);
                return entry == null ? null : entry.value();
            }

            @Override
            public Collection<Key> relatives(Key key, int under) throws SQLException {
                return relativesOf(connection, key, under);
            }
        });
        return new Plan(revision, plan.edits());
    }

    /**
     * Locks this namespace's row until the transaction ends (creating it at revision 0 if absent)
     * and returns its revision. Every writer of the namespace takes this lock first, so writes are
     * serialized and revisions are gapless on every database.
     */
    private long lockNamespace(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + namespacesTable + " (namespace, revision) VALUES (?, 0)"
                        + " ON CONFLICT (namespace) DO UPDATE SET revision = namespaces.revision RETURNING revision")) {
            statement.setString(1, namespace);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The stored entries of {@code keys}, read in chunks. */
    private Map<Key, Entry> fetch(Connection connection, Set<Key> keys) throws SQLException {
        Map<Key, Entry> found = new HashMap<>();
        List<Key> all = new ArrayList<>(keys);
        for (int start = 0; start < all.size(); start += IN_CHUNK) {
            List<Key> chunk = all.subList(start, Math.min(all.size(), start + IN_CHUNK));
            String sql = "SELECT key, " + ENTRY_COLUMNS + " FROM " + entriesTable
                    + " WHERE namespace = ? AND key IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, namespace);
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setString(i + 2, chunk.get(i).path());
                }
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        Key key = storedKey(row.getString(1));
                        found.put(key, entry(key, row, 2));
                    }
                }
            }
        }
        return found;
    }

    /**
     * The stored ancestors of {@code key} and the first {@code under} stored keys below it, for the
     * leaf rule. Keys under {@code a.b} are exactly those between {@code "a.b."} and {@code "a.b/"}
     * in bytewise order, since {@code '/'} follows {@code '.'}. Two index lookups in one statement:
     * the ancestors by key, the first keys under it by range (one WHERE with OR would make SQLite
     * scan the whole namespace for every set).
     */
    private List<Key> relativesOf(Connection connection, Key key, int under) throws SQLException {
        List<String> ancestors = ancestors(key);
        StringBuilder sql = new StringBuilder();
        if (!ancestors.isEmpty()) {
            sql.append("SELECT key FROM ").append(entriesTable).append(" WHERE namespace = ? AND key IN (")
                    .append(placeholders(ancestors.size())).append(") UNION ALL ");
        }
        sql.append("SELECT key FROM (SELECT key FROM ").append(entriesTable)
                .append(" WHERE namespace = ? AND key > ? AND key < ? ORDER BY key LIMIT ?) under_key");
        List<Key> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            if (!ancestors.isEmpty()) {
                statement.setString(index++, namespace);
                for (String ancestor : ancestors) {
                    statement.setString(index++, ancestor);
                }
            }
            statement.setString(index++, namespace);
            statement.setString(index++, key.path() + ".");
            statement.setString(index++, key.path() + "/");
            statement.setInt(index, under);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    found.add(storedKey(row.getString(1)));
                }
            }
        }
        return found;
    }

    private static List<String> ancestors(Key key) {
        List<String> ancestors = new ArrayList<>();
        for (Key ancestor : key.ancestors()) { // by segment: a quoted segment may hold a '.'
            ancestors.add(ancestor.path());
        }
        return ancestors;
    }

    /** Writes a checked plan: entries, history, the namespace's new revision. */
    private Commit write(Connection connection, Plan plan) throws SQLException {
        long revision = Revisions.next(plan.revision(), location);
        Instant now = Instant.now(context.clock()).truncatedTo(ChronoUnit.MICROS);
        Actor actor = context.actor();
        List<Entry> written = new ArrayList<>();
        List<Key> removed = new ArrayList<>();
        Set<Key> changedKeys = new LinkedHashSet<>();

        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + entriesTable
                + " (namespace, key, " + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, type = excluded.type,"
                + " revision = excluded.revision, updated_at = excluded.updated_at,"
                + " updated_by_surface = excluded.updated_by_surface, updated_by_user = excluded.updated_by_user,"
                + " updated_by_host = excluded.updated_by_host, updated_by_pid = excluded.updated_by_pid");
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM " + entriesTable + " WHERE namespace = ? AND key = ?");
             PreparedStatement history = connection.prepareStatement("INSERT INTO " + historyTable
                     + " (namespace, revision, at, by_surface, by_user, by_host, by_pid, key, old_value, old_type, new_value, new_type)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int upserts = 0;
            int deletes = 0;
            for (WriteRules.Edit edit : plan.edits()) {
                changedKeys.add(edit.key());
                if (edit.isRemove()) {
                    delete.setString(1, namespace);
                    delete.setString(2, edit.key().path());
                    delete.addBatch();
                    deletes++;
                    removed.add(edit.key());
                } else {
                    upsert.setString(1, namespace);
                    upsert.setString(2, edit.key().path());
                    upsert.setString(3, JsonValues.write(edit.after(), false));
                    upsert.setString(4, JsonValues.typeTag(edit.after()));
                    upsert.setLong(5, revision);
                    dialect.setInstant(upsert, 6, now);
                    setActor(upsert, 7, actor);
                    upsert.addBatch();
                    upserts++;
                    written.add(new Entry(edit.key(), edit.after(), revision, now, actor, 0));
                }
                history.setString(1, namespace);
                history.setLong(2, revision);
                dialect.setInstant(history, 3, now);
                setActor(history, 4, actor);
                history.setString(8, edit.key().path());
                Value old = edit.before();
                history.setString(9, old == null ? null : JsonValues.write(old, false));
                history.setString(10, old == null ? null : JsonValues.typeTag(old));
                history.setString(11, edit.after() == null ? null : JsonValues.write(edit.after(), false));
                history.setString(12, edit.after() == null ? null : JsonValues.typeTag(edit.after()));
                history.addBatch();
            }
            if (upserts > 0) {
                upsert.executeBatch();
            }
            if (deletes > 0) {
                delete.executeBatch();
            }
            history.executeBatch();
        }
        long pruneEvery = Math.min(historyKept, 100);
        if (historyKept != ALL_HISTORY && revision > historyKept && revision % pruneEvery == 0) {
            try (PreparedStatement prune = connection.prepareStatement(
                    "DELETE FROM " + historyTable + " WHERE namespace = ? AND revision <= ?")) {
                prune.setString(1, namespace);
                prune.setLong(2, revision - historyKept);
                prune.executeUpdate();
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + namespacesTable + " SET revision = ? WHERE namespace = ?")) {
            update.setLong(1, revision);
            update.setString(2, namespace);
            update.executeUpdate();
        }
        dialect.beforeCommit(connection, namespace, revision, Collections.unmodifiableSet(changedKeys));
        return new Commit(revision, written, removed);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: the namespace's row is locked as for any write, the store must have no
     * entries and revision 0, then the entries (checked for key order and the leaf rule as they
     * stream by) and the history are inserted in batches and the namespace's revision is set. A
     * watcher sees one event. Times are kept to the microsecond, as this store's own writes keep them
     * (PostgreSQL would round finer ones).
     */
    @Override
    public boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(history, "history");
        WriteRules.CopyCheck check = new WriteRules.CopyCheck(revision);
        Revisions.checkIncoming(revision, "the copy");
        checkOpen();
        if (revision == 0 && !entries.hasNext() && !history.hasNext()) {
            // A copy of a store never written: nothing to write, and nothing to create.
            checkNew(revision(), read(this::hasEntries, false));
            return true;
        }
        return writeTransaction("load a copy into", connection -> {
            long current = lockNamespace(connection);
            checkNew(current, hasEntries(connection));
            insertCopy(connection, check, entries);
            insertHistory(connection, check, history);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + namespacesTable + " SET revision = ? WHERE namespace = ?")) {
                update.setLong(1, revision);
                update.setString(2, namespace);
                update.executeUpdate();
            }
            dialect.beforeCommit(connection, namespace, revision, Set.of());
            return new Outcome<>(true, true);
        });
    }

    private boolean hasEntries(Connection connection) throws SQLException {
        try (PreparedStatement any = connection.prepareStatement("SELECT 1 FROM " + entriesTable + " WHERE namespace = ? LIMIT 1")) {
            any.setString(1, namespace);
            try (ResultSet row = any.executeQuery()) {
                return row.next();
            }
        }
    }

    private void checkNew(long revision, boolean hasEntries) {
        if (revision != 0 || hasEntries) {
            throw WriteRules.notNew(location, revision);
        }
    }

    /** Rows per batch of a copy's inserts. */
    private static final int COPY_BATCH = 1000;

    /** Inserts the entries of a copy, each checked ({@link WriteRules.CopyCheck}) as it streams by. */
    private void insertCopy(Connection connection, WriteRules.CopyCheck check, Iterator<Entry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + entriesTable
                + " (namespace, key, " + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            while (entries.hasNext()) {
                Entry entry = check.entry(entries.next());
                Key key = entry.key();
                insert.setString(1, namespace);
                insert.setString(2, key.path());
                insert.setString(3, JsonValues.write(entry.value(), false));
                insert.setString(4, JsonValues.typeTag(entry.value()));
                insert.setLong(5, entry.revision());
                dialect.setInstant(insert, 6, entry.updatedAt().truncatedTo(ChronoUnit.MICROS)); // as this store's own writes
                setActor(insert, 7, entry.updatedBy());
                insert.addBatch();
                if (++pending == COPY_BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private void insertHistory(Connection connection, WriteRules.CopyCheck check, Iterator<HistoryRecord> records) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + historyTable
                + " (namespace, revision, at, by_surface, by_user, by_host, by_pid, key, old_value, old_type, new_value, new_type)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            while (records.hasNext()) {
                HistoryRecord record = check.record(records.next());
                insert.setString(1, namespace);
                insert.setLong(2, record.revision());
                dialect.setInstant(insert, 3, record.at().truncatedTo(ChronoUnit.MICROS));
                setActor(insert, 4, record.by());
                insert.setString(8, record.key().path());
                Value old = record.oldValue().orElse(null);
                insert.setString(9, old == null ? null : JsonValues.write(old, false));
                insert.setString(10, old == null ? null : JsonValues.typeTag(old));
                Value after = record.newValue().orElse(null);
                insert.setString(11, after == null ? null : JsonValues.write(after, false));
                insert.setString(12, after == null ? null : JsonValues.typeTag(after));
                insert.addBatch();
                if (++pending == COPY_BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private static void setActor(PreparedStatement statement, int first, Actor actor) throws SQLException {
        statement.setString(first, actor.surface());
        statement.setString(first + 1, actor.user());
        statement.setString(first + 2, actor.host());
        statement.setLong(first + 3, actor.pid());
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    // ---------------------------------------------------------------- history, watch, health

    @Override
    public List<HistoryRecord> history(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        return read(connection -> {
            String columns = "SELECT revision, at, by_surface, by_user, by_host, by_pid, key, old_value, old_type, new_value, new_type, id FROM "
                    + historyTable + " WHERE namespace = ?";
            // The key and the keys under it as two index lookups (an OR would scan the namespace's history).
            String sql = query.key().isEmpty() ? columns + " ORDER BY revision DESC, id DESC LIMIT ?"
                    : columns + " AND key = ? UNION ALL " + columns + " AND key > ? AND key < ? ORDER BY 1 DESC, 12 DESC LIMIT ?";
            List<HistoryRecord> records = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                statement.setString(index++, namespace);
                if (query.key().isPresent()) {
                    String path = query.key().get().path();
                    statement.setString(index++, path);
                    statement.setString(index++, namespace);
                    statement.setString(index++, path + ".");
                    statement.setString(index++, path + "/");
                }
                statement.setInt(index, query.limit());
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        Key key = storedKey(row.getString(7));
                        Actor by = new Actor(row.getString(3), row.getString(4), row.getString(5), row.getLong(6));
                        String oldText = row.getString(8);
                        String newText = row.getString(10);
                        records.add(new HistoryRecord(row.getLong(1), dialect.getInstant(row, 2), by, key,
                                Optional.ofNullable(oldText == null ? null : decode(key, oldText, row.getString(9))),
                                Optional.ofNullable(newText == null ? null : decode(key, newText, row.getString(11)))));
                    }
                }
            }
            return List.copyOf(records);
        }, List.of());
    }

    /**
     * Watches with the database's change notifications where the backend has them, else by polling
     * (cheap where the dialect has a {@linkplain SqlDialect#changeToken change token}).
     */
    @Override
    public AutoCloseable watch(Consumer<StoreEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        AutoCloseable handle = feed != null ? feed.subscribe(listener) : ConfigStore.super.watch(listener);
        watches.add(handle);
        return () -> {
            watches.remove(handle);
            handle.close();
        };
    }

    @Override
    public List<Diagnostic> diagnose() {
        List<Diagnostic> findings = new ArrayList<>(connections.diagnose());
        try {
            snapshot();
        } catch (WaterfallException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, location, e.getMessage()));
        }
        return findings;
    }

    /** Stops this store's watches and releases its connections (a pool shared with other stores stays open). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable watch : List.copyOf(watches)) {
            try {
                watch.close();
            } catch (Exception e) {
                System.getLogger(SqlStore.class.getName()).log(System.Logger.Level.WARNING,
                        "stopping a watch of " + location + " failed: " + e.getMessage());
            }
        }
        watches.clear();
        cache = null;
        connections.close();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(location + " is closed");
        }
    }

    // ---------------------------------------------------------------- failures

    WaterfallException failure(SQLException e, String what, boolean write, boolean committing) {
        String detail = describe(e);
        String advice = dialect.advice(e);
        String tail = advice.isEmpty() ? "" : "; " + advice;
        if (dialect.classify(e) == SqlDialect.Failure.BROKEN) {
            return new StoreBrokenException(location, 0, 0, "the " + dialect.databaseName() + " database cannot be read: "
                    + detail + "; nothing was changed and no write will touch it. Restore it from a backup or point the store elsewhere", e);
        }
        String outcome = !write ? "" : committing
                ? "; the connection failed while committing, so the write may or may not have been applied: re-read before retrying"
                : "; nothing was changed";
        return new StoreUnavailableException("cannot " + what + " " + location + ": " + detail + tail + outcome, e);
    }

    /** The most specific message in a failure's causes: the driver's, not the pool's wrapper. */
    private static String describe(SQLException e) {
        Throwable deepest = e;
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof SQLException || cause instanceof java.io.IOException) {
                deepest = cause;
            }
        }
        String message = deepest == e || !(deepest instanceof SQLException) ? e.getMessage() : deepest.getMessage();
        if (message == null || message.isBlank()) {
            message = deepest.getClass().getSimpleName();
        }
        return message.strip();
    }

    @Override
    public String toString() {
        return "SqlStore[" + location + "]";
    }
}
