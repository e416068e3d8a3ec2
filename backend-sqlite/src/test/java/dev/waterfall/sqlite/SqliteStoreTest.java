package dev.waterfall.sqlite;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ChildWriter;
import dev.waterfall.contract.ContractWorld;
import dev.waterfall.contract.JavaProcess;
import dev.waterfall.file.FileOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the SQLite store promises beyond the contracts: its file, its modes, its URI. */
class SqliteStoreTest {

    @TempDir
    Path dir;

    private ContractWorld world;

    @BeforeEach
    void setUp() {
        world = new ContractWorld(dir);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    private static String mode(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void firstWrite_underAnOpenUmask_createsFoldersAndFilesForTheOwnerOnly() throws Exception {
        Path file = dir.resolve("a").resolve("b").resolve("app.db");
        String uri = "sqlite:" + file;

        Process child = JavaProcess.startInShell("umask 000;", ChildWriter.class, "set", uri, "plant.name", "\"Rosemary\"");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        ConfigStore store = world.open(uri).store();
        assertThat(store.get(key("plant.name"))).map(Entry::value).contains(Value.of("Rosemary"));
        store.set(key("plant.site"), Value.of("north")); // the -wal and -shm files exist while a connection is open

        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a").resolve("b"))).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.resolveSibling("app.db-wal"))).isEqualTo("rw-------");
        assertThat(mode(file.resolveSibling("app.db-shm"))).isEqualTo("rw-------");
    }

    @Test
    void aRowWithALoneSurrogate_isRefusedNamingTheKey_andAnUnrelatedWriteLeavesItAsItIs() throws SQLException {
        Path file = dir.resolve("app.db");
        ConfigStore store = world.open("sqlite:" + file).store();
        store.set(key("a"), Value.of("x"));
        store.set(key("b"), Value.of(1));
        try (Connection connection = SqliteDatabaseFixture.connect("sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE entries SET value = '\"x\\udc00\"' WHERE key = 'a'"); // a row another tool wrote
        }

        assertThatThrownBy(() -> world.open("sqlite:" + file).store().get(key("a")))
                .isInstanceOf(dev.waterfall.config.StoreBrokenException.class)
                .hasMessageContaining("the value of a")
                .hasMessageContaining("lone UTF-16 surrogate U+DC00");
        world.open("sqlite:" + file).store().set(key("b"), Value.of(2));

        try (Connection connection = SqliteDatabaseFixture.connect("sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT value FROM entries WHERE key = 'a'")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("\"x\\udc00\""); // before: read as "x?"
        }
    }

    @Test
    void database_isInWalMode_atTheNewestSchemaVersion() throws SQLException {
        Path file = dir.resolve("app.db");
        world.open("sqlite:" + file).store().set(key("a"), Value.of(1));

        try (Connection connection = SqliteDatabaseFixture.connect("sqlite:" + file);
             Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("wal");
            }
            try (ResultSet row = statement.executeQuery("SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success")) {
                row.next();
                assertThat(row.getString(1)).as("SqliteDialect.SCHEMA_VERSION names the newest migration")
                        .isEqualTo(SqliteDialect.SCHEMA_VERSION);
            }
        }
    }

    /** Only a write creates the tables (and switches the file to WAL): reads of an empty file leave it empty. */
    @Test
    void reads_ofAnEmptyFile_findAnEmptyStore_andLeaveTheFileAsItIs() throws Exception {
        Path file = dir.resolve("app.db");
        Files.createFile(file);
        ConfigStore store = world.open("sqlite:" + file).store();

        assertThat(store.get(key("plant.name"))).isEmpty();
        assertThat(store.snapshot().size()).isZero();
        assertThat(Files.size(file)).isZero();

        store.set(key("plant.name"), Value.of("Rosemary"));
        assertThat(store.get(key("plant.name"))).map(Entry::value).contains(Value.of("Rosemary"));
        assertThat(Files.size(file)).isPositive();
    }

    /**
     * The first write creates the file, then switches it to WAL mode, which writes the header under
     * the write lock. A connection that read the header just before used to fail at once with
     * SQLITE_BUSY ("another process held the write lock for more than 30 s"), about one open in
     * twenty when three stores started on a new file together, instead of waiting a millisecond.
     */
    @Test
    void newFile_openedForWritingByThreeStoresAtOnce_neverReportsTheDatabaseLocked() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 150; round++) {
                Path file = dir.resolve("round-" + round + ".db");
                List<SqliteConnections> stores = new ArrayList<>();
                List<Future<?>> work = new ArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                for (int i = 0; i < 3; i++) {
                    SqliteConnections connections = new SqliteConnections(file, FileOps.real(), SqliteStoreProvider.BUSY_TIMEOUT_MILLIS);
                    stores.add(connections);
                    work.add(pool.submit(() -> {
                        start.await();
                        Connection writer = connections.writer();
                        boolean failed = true;
                        try (Statement statement = writer.createStatement()) {
                            statement.execute("CREATE TABLE IF NOT EXISTS plants (name TEXT)");
                            statement.execute("INSERT INTO plants VALUES ('Rosemary')");
                            failed = false;
                        } finally {
                            connections.release(writer, failed);
                        }
                        return null;
                    }));
                }
                start.countDown();
                try {
                    for (Future<?> done : work) {
                        done.get(2, TimeUnit.MINUTES);
                    }
                } finally {
                    stores.forEach(SqliteConnections::close);
                }
                try (Connection connection = SqliteDatabaseFixture.connect("sqlite:" + file);
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM plants")) {
                    rows.next();
                    assertThat(rows.getInt(1)).as(file.toString()).isEqualTo(3);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same race through the store: readers of a file that a first write is creating see it or nothing. */
    @Test
    void newStore_readWhileItsFirstWriteCreatesIt_findsTheValueOrNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 40; round++) {
                Path file = dir.resolve("round-" + round + ".db");
                String uri = "sqlite:" + file;
                ConfigStore writer = world.open(uri).store();
                List<ConfigStore> readers = List.of(world.open(uri).store(), world.open(uri).store());
                List<Future<?>> work = new ArrayList<>();
                for (ConfigStore reader : readers) {
                    work.add(pool.submit(() -> {
                        while (!Files.exists(file)) {
                            Thread.onSpinWait();
                        }
                        return reader.get(key("plant.name")); // must not fail; finds the value or nothing yet
                    }));
                }
                work.add(pool.submit(() -> writer.set(key("plant.name"), Value.of("Rosemary"))));
                for (Future<?> done : work) {
                    done.get(2, TimeUnit.MINUTES);
                }
                for (ConfigStore reader : readers) {
                    assertThat(reader.get(key("plant.name"))).as(uri).map(Entry::value).contains(Value.of("Rosemary"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void get_afterAnotherProcessCommits_seesItWithoutReopening() throws Exception {
        String uri = "sqlite:" + dir.resolve("app.db");
        ConfigStore store = world.open(uri).store();
        store.set(key("shared"), Value.of("mine"));
        assertThat(store.get(key("shared"))).map(Entry::value).contains(Value.of("mine"));
        assertThat(store.snapshot().size()).isEqualTo(1); // both reads are now answered from memory

        Process child = JavaProcess.start(ChildWriter.class, "set", uri, "shared", "\"theirs\"");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        assertThat(store.get(key("shared"))).map(Entry::value).contains(Value.of("theirs"));
        assertThat(store.snapshot().get(key("shared"))).map(Entry::value).contains(Value.of("theirs"));
    }

    @Test
    void open_aFileThatIsNotADatabase_isBrokenAndNeverOverwritten() throws Exception {
        Path file = dir.resolve("notes.db");
        byte[] content = "These are my notes, not a SQLite database.\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        ConfigStore store = world.open("sqlite:" + file).store();

        assertThatThrownBy(store::snapshot).isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no write will touch it");
        assertThatThrownBy(() -> store.set(key("a"), Value.of(1))).isInstanceOf(StoreBrokenException.class);
        assertThat(store.diagnose()).extracting(Diagnostic::severity).contains(Diagnostic.Severity.ERROR);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void storeVariable_selectsTheSqliteStore_inTheApplicationsNamespace() throws Exception {
        Path file = dir.resolve("pipeline.db");
        try (Waterfall waterfall = Waterfall.builder("pipeline")
                .environment(Map.of("PIPELINE_STORE", "sqlite:" + file))
                .home(dir)
                .open()) {
            waterfall.set("plant.default_name", Value.of("Rosemary"));

            assertThat(waterfall.store().location()).isEqualTo("sqlite:" + file + "?namespace=pipeline");
            assertThat(waterfall.get("plant.default_name").orElseThrow().asText()).isEqualTo("Rosemary");
        }
        assertThat(new SqliteDatabaseFixture().namespaces("sqlite:" + file)).containsExactly("pipeline");
        try (Waterfall byPath = Waterfall.builder("pipeline").environment(Map.of("PIPELINE_STORE", file.toString())).home(dir).open()) {
            assertThat(byPath.store().get(key("plant.default_name"))).isPresent();
        }
    }

    @Test
    void diagnose_reportsAMissingFileAndLooseModes_withoutCreatingAnything() throws Exception {
        Path file = dir.resolve("later").resolve("app.db");
        ConfigStore store = world.open("sqlite:" + file).store();

        assertThat(store.diagnose()).singleElement()
                .satisfies(finding -> assertThat(finding.message()).contains("first write creates it"));
        assertThat(dir.resolve("later")).doesNotExist();

        store.set(key("a"), Value.of(1));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(store.diagnose()).anySatisfy(finding -> {
            assertThat(finding.severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(finding.message()).contains("chmod 600");
        });
    }

    @Test
    void uri_withAnUnknownOptionOrNoFile_isRefusedClearly() {
        assertThatThrownBy(() -> world.open("sqlite:" + dir.resolve("a.db") + "?busy=1"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("unknown option \"busy\"");
        assertThatThrownBy(() -> world.open("sqlite:"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("names no file");
        assertThatThrownBy(() -> world.open("sqlite:" + dir.resolve("a.db") + "?namespace="))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("namespace");
    }
}
