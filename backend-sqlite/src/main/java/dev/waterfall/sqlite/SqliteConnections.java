package dev.waterfall.sqlite;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.file.FileOps;
import dev.waterfall.jdbc.SqlConnections;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * A SQLite store's two connections to its file: one for reads, one for writes, each used by one
 * thread at a time, so that readers never wait for a writer (WAL) and {@code PRAGMA data_version} on
 * the reader sees every commit, including this store's own.
 *
 * <p>Nothing is created before the first write: reads of a missing file find an empty store. The
 * first write creates the missing folders (0700) and the file (0600) the way the file stores do;
 * SQLite gives its {@code -wal} and {@code -shm} files the database file's mode. Connections never
 * create the file themselves, so a file deleted under a reader is an error, not a new empty store.
 */
final class SqliteConnections implements SqlConnections {

    static final Set<PosixFilePermission> FILE_MODE = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    static final Set<PosixFilePermission> FOLDER_MODE = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);

    private final Path file;
    private final FileOps ops;
    private final SQLiteDataSource readSource;
    private final SQLiteDataSource source;
    private final ReentrantLock readerLock = new ReentrantLock();
    private final ReentrantLock writerLock = new ReentrantLock();
    private Connection reader;
    private Connection writer;

    SqliteConnections(Path file, FileOps ops, long busyTimeoutMillis) {
        this.file = file;
        this.ops = ops;
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        // FULL: in WAL mode, NORMAL may lose the last commits at a power cut; a write is durable when acknowledged.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeoutMillis);
        String url = "jdbc:sqlite:" + file;
        // Readers take the file as it is: a read never writes, not even the header's journal mode.
        this.readSource = new SQLiteDataSource(config);
        this.readSource.setUrl(url);
        // No journal-mode pragma in the settings: WalSource switches to WAL itself, so that it can wait for the lock.
        this.source = new WalSource(config, busyTimeoutMillis);
        this.source.setUrl(url);
    }

    /**
     * Opens the connections that write (the writer and Flyway's) in WAL mode. Switching a new file (or
     * one another tool made) to WAL writes its header: a connection that read the header first and
     * then finds another connection writing gets SQLITE_BUSY at once, without SQLite's busy handler,
     * because waiting could deadlock. Given as a journal-mode pragma in the connection's settings, that
     * made an open fail now and then while another thread or process created the same store; here the
     * switch is retried, holding no lock between tries, until the busy timeout has passed. Readers
     * opened before the switch follow it at their next read.
     */
    private static final class WalSource extends SQLiteDataSource {

        private static final int SQLITE_BUSY = 5;

        private final long busyTimeoutNanos;

        WalSource(SQLiteConfig config, long busyTimeoutMillis) {
            super(config);
            this.busyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(busyTimeoutMillis);
        }

        @Override
        public SQLiteConnection getConnection(String username, String password) throws SQLException {
            SQLiteConnection connection = super.getConnection(username, password);
            try {
                useWal(connection);
                return connection;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        }

        private void useWal(Connection connection) throws SQLException {
            long deadline = System.nanoTime() + busyTimeoutNanos;
            try (Statement statement = connection.createStatement()) {
                for (int attempt = 1; ; attempt++) {
                    try (ResultSet row = statement.executeQuery("PRAGMA journal_mode=WAL")) {
                        String mode = row.next() ? row.getString(1) : "unknown";
                        if (!"wal".equalsIgnoreCase(mode)) {
                            throw new SQLException("the database stays in journal mode " + mode
                                    + " and cannot use write-ahead logging, which this store needs");
                        }
                        return;
                    } catch (SQLException e) {
                        if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || System.nanoTime() - deadline > 0) {
                            throw e;
                        }
                        pause(attempt);
                    }
                }
            }
        }

        /** 1, 2, 3 … up to 20 ms: the writer that holds the lock usually needs a millisecond or two. */
        private static void pause(int attempt) throws SQLException {
            try {
                Thread.sleep(Math.min(attempt, 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting to open the database", e);
            }
        }
    }

    @Override
    public Optional<Connection> reader() throws SQLException {
        readerLock.lock();
        try {
            if (reader == null) {
                if (!Files.exists(file)) {
                    readerLock.unlock();
                    return Optional.empty();
                }
                reader = readSource.getConnection();
            }
            return Optional.of(reader);
        } catch (SQLException | RuntimeException e) {
            readerLock.unlock();
            throw e;
        }
    }

    @Override
    public Connection writer() throws SQLException {
        writerLock.lock();
        try {
            if (writer == null) {
                create();
                writer = source.getConnection();
            }
            return writer;
        } catch (SQLException | RuntimeException e) {
            writerLock.unlock();
            throw e;
        }
    }

    @Override
    public void release(Connection connection, boolean failed) {
        if (connection == reader && readerLock.isHeldByCurrentThread()) {
            if (failed) {
                reader = closeQuietly(reader);
            }
            readerLock.unlock();
        } else if (connection == writer && writerLock.isHeldByCurrentThread()) {
            if (failed) {
                writer = closeQuietly(writer);
            }
            writerLock.unlock();
        }
    }

    private static Connection closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // it failed already; nothing more to do with it
        }
        return null;
    }

    @Override
    public DataSource migrationSource() {
        return source;
    }

    /** Creates the folders (0700) and the empty database file (0600) if they are missing. */
    private void create() throws SQLException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            refuseReadOnly();
            return;
        }
        try {
            Path folder = file.toAbsolutePath().getParent();
            ensureFolder(folder);
            try (FileChannel created = ops.createExclusive(file, FILE_MODE)) {
                created.force(true);
            } catch (FileAlreadyExistsException e) {
                // another process created it at the same moment: fine
            }
            // SQLite syncs the folder for the -wal file it creates, not for a database file it did not create.
            if (ops.isPosix()) {
                ops.forceDirectory(folder);
            }
        } catch (IOException e) {
            throw new SQLException("cannot create " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), "58030", 14, e);
        }
    }

    /**
     * Refuses to write a database file whose owner has no write permission: that says "do not change
     * this", and root (or the owner, for SQLite opens the file by its folder's rights too) would
     * write it all the same, without a word.
     */
    private void refuseReadOnly() throws SQLException {
        if (!ops.isPosix()) {
            return;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = ops.permissions(file);
            if (mode != null && !mode.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)) {
                throw new SQLException("the database file " + file + " is read-only (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(mode) + "), so it is not written; chmod u+w " + file
                        + " to allow writes", "42501", 8);
            }
        } catch (IOException e) {
            // gone meanwhile, or no modes to read: opening it says what is wrong
        }
    }

    private void ensureFolder(Path folder) throws IOException {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        ensureFolder(folder.getParent());
        try {
            ops.createDirectory(folder, FOLDER_MODE);
            if (ops.isPosix() && folder.getParent() != null) {
                ops.forceDirectory(folder.getParent());
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new IOException(folder + " exists and is not a folder", e);
            }
        }
    }

    @Override
    public List<Diagnostic> diagnose() {
        List<Diagnostic> findings = new ArrayList<>();
        if (!Files.exists(file)) {
            findings.add(new Diagnostic(Diagnostic.Severity.INFO, file.toString(),
                    "does not exist yet; the first write creates it (0600, folder 0700)"));
            return findings;
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path path = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (Files.exists(path) && ops.isPosix()) {
                    Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                    loose.addAll(ops.permissions(path));
                    loose.removeAll(FILE_MODE);
                    loose.remove(PosixFilePermission.OWNER_EXECUTE);
                    if (!loose.isEmpty()) {
                        findings.add(new Diagnostic(Diagnostic.Severity.WARNING, path.toString(), "file mode is "
                                + PosixFilePermissions.toString(ops.permissions(path)) + ", readable or writable by others; chmod 600 it"));
                    }
                }
            } catch (IOException e) {
                findings.add(new Diagnostic(Diagnostic.Severity.ERROR, path.toString(), "cannot inspect: " + dev.waterfall.config.spi.Echo.cause(e)));
            }
        }
        Optional<Connection> connection = Optional.empty();
        boolean failed = false;
        try {
            connection = reader();
            if (connection.isPresent()) {
                try (Statement statement = connection.get().createStatement();
                     ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
                    List<String> problems = new ArrayList<>();
                    while (rows.next()) {
                        String line = rows.getString(1);
                        if (!"ok".equals(line)) {
                            problems.add(line);
                        }
                    }
                    if (!problems.isEmpty()) {
                        findings.add(new Diagnostic(Diagnostic.Severity.ERROR, file.toString(), "the database is damaged ("
                                + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                                + "); restore it from a backup"));
                    }
                }
            }
        } catch (SQLException e) {
            failed = true;
            // the store's own read in SqlStore.diagnose reports why it cannot be read
        } finally {
            boolean broken = failed;
            connection.ifPresent(c -> release(c, broken));
        }
        return findings;
    }

    @Override
    public void close() {
        readerLock.lock();
        try {
            if (reader != null) {
                reader = closeQuietly(reader);
            }
        } finally {
            readerLock.unlock();
        }
        writerLock.lock();
        try {
            if (writer != null) {
                writer = closeQuietly(writer);
            }
        } finally {
            writerLock.unlock();
        }
    }
}
