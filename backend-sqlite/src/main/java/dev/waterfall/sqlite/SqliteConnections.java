package dev.waterfall.sqlite;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.file.FileOps;
import dev.waterfall.jdbc.SqlConnections;
import org.sqlite.SQLiteConfig;
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
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: in WAL mode, NORMAL may lose the last commits at a power cut; a write is durable when acknowledged.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeoutMillis);
        this.source = new SQLiteDataSource(config);
        this.source.setUrl("jdbc:sqlite:" + file);
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
                reader = source.getConnection();
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
            throw new SQLException("cannot create " + file + ": " + e.getMessage(), "58030", 14, e);
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
                findings.add(new Diagnostic(Diagnostic.Severity.ERROR, path.toString(), "cannot inspect: " + e.getMessage()));
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
