package dev.waterfall.postgres;

import dev.waterfall.jdbc.Namespaces;
import dev.waterfall.contract.DatabaseStoreFixture;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL for the database suite: namespaces of their own on the test server, and databases of
 * their own (created and dropped by the test) where a test must change a whole database.
 */
final class PostgresDatabaseFixture implements DatabaseStoreFixture {

    private static final Pattern URI = Pattern.compile("(postgres(?:ql)?://[^/?]*)(/[^?]*)?(\\?.*)?");

    private final PostgresFixture base = new PostgresFixture();

    @Override
    public String newStoreUri(Path dir) {
        return base.newStoreUri(dir);
    }

    @Override
    public String withNamespace(String uri, String namespace) {
        Matcher parts = parts(uri);
        return parts.group(1) + (parts.group(2) == null ? "" : parts.group(2))
                + "?namespace=" + Namespaces.encode(namespace);
    }

    @Override
    public String newDatabaseUri(Path dir) {
        String database = "waterfall_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database); // a name made of letters, digits and '_'
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database: " + e.getMessage(), e);
        }
        Matcher parts = parts(TestDatabase.url());
        return parts.group(1) + "/" + database + "?namespace=contract";
    }

    private static Matcher parts(String uri) {
        Matcher matcher = URI.matcher(uri);
        if (!matcher.matches()) {
            throw new AssertionError("not a postgresql URI: " + uri);
        }
        return matcher;
    }

    private static String database(String uri) {
        String path = parts(uri).group(2);
        return path == null || path.length() < 2 ? "" : path.substring(1);
    }

    private static String namespace(String uri) {
        return TestDatabase.namespaceOf(uri);
    }

    private static Connection connect(String uri) throws SQLException {
        Connection connection = TestDatabase.connect();
        String database = database(uri);
        if (database.equals(database(TestDatabase.url()))) {
            return connection;
        }
        connection.close();
        return TestDatabase.connectTo(database);
    }

    @Override
    public List<String> schema(String uri) {
        try (Connection connection = connect(uri);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type, collation_name"
                     + " FROM information_schema.columns WHERE table_schema = 'waterfall'"
                     + " UNION ALL SELECT 'index', indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'waterfall'"
                     + " ORDER BY 1, 2")) {
            List<String> lines = new ArrayList<>();
            while (rows.next()) {
                lines.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4));
            }
            return lines;
        } catch (SQLException e) {
            throw new AssertionError("cannot read the schema of " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The store's invariants: no entry and no history row is newer than its namespace's revision. */
    @Override
    public List<String> namespaces(String uri) {
        try (Connection connection = connect(uri);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT namespace FROM waterfall.namespaces")) {
            List<String> namespaces = new ArrayList<>();
            while (rows.next()) {
                namespaces.add(rows.getString(1));
            }
            return namespaces;
        } catch (SQLException e) {
            throw new AssertionError("cannot list the namespaces of " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> integrityProblems(String uri) {
        List<String> problems = new ArrayList<>();
        try (Connection connection = connect(uri)) {
            for (String table : new String[] {"entries", "history"}) {
                try (PreparedStatement check = connection.prepareStatement("SELECT count(*) FROM waterfall." + table
                        + " t LEFT JOIN waterfall.namespaces n ON n.namespace = t.namespace"
                        + " WHERE t.namespace = ? AND (n.namespace IS NULL OR t.revision > n.revision)")) {
                    check.setString(1, namespace(uri));
                    try (ResultSet row = check.executeQuery()) {
                        row.next();
                        if (row.getLong(1) > 0) {
                            problems.add(row.getLong(1) + " rows of " + table + " are newer than their namespace's revision");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("cannot check: " + e.getMessage());
        }
        return problems;
    }

    @Override
    public String schemaVersion() {
        return PostgresDialect.SCHEMA_VERSION;
    }

    @Override
    public void markMigratedBy(String uri, String version) {
        if (database(uri).equals(database(TestDatabase.url()))) {
            throw new AssertionError("never mark the shared test database; use newDatabaseUri");
        }
        try (Connection connection = connect(uri);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO waterfall.flyway_schema_history"
                     + " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)"
                     + " VALUES ((SELECT max(installed_rank) + 1 FROM waterfall.flyway_schema_history), ?, 'from the future',"
                     + " 'SQL', ?, 0, 'test', 0, true)")) {
            insert.setString(1, version);
            insert.setString(2, "V" + version + "__from_the_future.sql");
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot mark " + uri + " as migrated: " + e.getMessage(), e);
        }
    }

    /** Drops the test's own namespaces and databases, never anything else. */
    @Override
    public void cleanUp(List<String> uris) {
        String shared = database(TestDatabase.url());
        for (String uri : uris) {
            String database = database(uri);
            try {
                if (database.equals(shared)) {
                    TestDatabase.dropNamespace(namespace(uri));
                } else if (database.startsWith("waterfall_test_")) {
                    try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
                        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                    }
                }
            } catch (SQLException e) {
                throw new AssertionError("cannot clean up " + uri + ": " + e.getMessage(), e);
            }
        }
    }
}
