package dev.waterfall.sqlite;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.file.FileOps;
import dev.waterfall.jdbc.Namespaces;
import dev.waterfall.jdbc.SqlStore;

import java.nio.file.Path;
import java.util.Set;

/**
 * Opens SQLite stores: {@code sqlite:PATH} (also {@code sqlite:///PATH}), where {@code PATH} may start
 * with {@code ~/}, optionally followed by {@code ?namespace=NAME} (percent-encoded; default: the
 * application's name). A bare path ending in {@code .db}, {@code .sqlite} or {@code .sqlite3} means
 * the same.
 *
 * <p>The database is one file in WAL mode, written with {@code BEGIN IMMEDIATE} and a 30 s busy
 * timeout, {@code synchronous=FULL} (a write is durable when acknowledged). Opening and reading create
 * nothing; the first write creates the folders (0700) and the file (0600) and migrates the schema.
 * Network file systems are not supported (SQLite's locks do not work across NFS clients).
 *
 * <p>Found with {@link java.util.ServiceLoader}, or register it by hand:
 * {@code Waterfall.builder("app").provider(new SqliteStoreProvider())}.
 */
public final class SqliteStoreProvider implements ConfigStoreProvider {

    /** How long a write waits for another process's write to finish. */
    static final long BUSY_TIMEOUT_MILLIS = 30_000;

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public ConfigStore open(StoreUri uri, StoreContext context) {
        String rest = uri.rest();
        String namespace = Namespaces.check(uri, context.app());
        long history = SqlStore.DEFAULT_HISTORY_KEPT;
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                String[] pair = parameter.split("=", 2);
                if (pair[0].equals("namespace") && pair.length == 2) {
                    namespace = Namespaces.decode(uri, pair[1]);
                } else if (pair[0].equals("history") && pair.length == 2) {
                    history = SqlStore.historyOption(uri, pair[1]);
                } else if (!parameter.isEmpty()) {
                    throw new InvalidValueException("store " + uri + ": unknown option \"" + pair[0]
                            + "\"; the options are namespace=NAME and history=REVISIONS|all");
                }
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new InvalidValueException("store " + uri + " names no file; write it as sqlite:/path/to/app.db");
        }
        if (rest.equals(":memory:") || rest.startsWith("file:")) {
            // SQLite's own names: an in-memory database would vanish when the command exits, and a
            // file: URI would be taken here as a file named "file:..." in the working directory.
            throw new InvalidValueException("store " + uri + ": " + (rest.equals(":memory:")
                    ? "an in-memory SQLite database would be gone when the command ends, and every write with it; "
                    + "a store is a file: write sqlite:/path/to/app.db"
                    : "write the database's path after sqlite: (sqlite:/path/to/app.db), not a file: URI"));
        }
        Path file = context.resolvePath(rest).toAbsolutePath().normalize();
        String location = "sqlite:" + file + "?namespace=" + Namespaces.encode(namespace);
        FileOps ops = context.services().get(FileOps.class, FileOps::real);
        return SqlStore.open(location, namespace, new SqliteDialect(BUSY_TIMEOUT_MILLIS, file),
                new SqliteConnections(file, ops, BUSY_TIMEOUT_MILLIS), context, null, history);
    }
}
