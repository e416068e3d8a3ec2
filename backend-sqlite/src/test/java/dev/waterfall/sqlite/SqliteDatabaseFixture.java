package dev.waterfall.sqlite;

import dev.waterfall.jdbc.Namespaces;
import dev.waterfall.contract.DatabaseStoreFixture;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQLite for the database suite: real files, looked at with a plain JDBC connection. */
final class SqliteDatabaseFixture implements DatabaseStoreFixture {

    private final SqliteFixture base = new SqliteFixture();

    @Override
    public String newStoreUri(Path dir) {
        return base.newStoreUri(dir);
    }

    @Override
    public String withNamespace(String uri, String namespace) {
        return "sqlite:" + file(uri) + "?namespace=" + Namespaces.encode(namespace);
    }

    @Override
    public String newDatabaseUri(Path dir) {
        return "sqlite:" + dir.resolve("new-" + UUID.randomUUID()).resolve("app.db");
    }

    static Path file(String uri) {
        String rest = uri.substring("sqlite:".length());
        int query = rest.indexOf('?');
        return Path.of(query < 0 ? rest : rest.substring(0, query));
    }

    static Connection connect(String uri) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file(uri));
    }

    @Override
    public List<String> schema(String uri) {
        try (Connection connection = connect(uri);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT m.type, m.name, p.name, p.type FROM sqlite_schema m"
                     + " LEFT JOIN pragma_table_info(m.name) p ORDER BY m.type, m.name, p.cid")) {
            List<String> lines = new ArrayList<>();
            while (rows.next()) {
                lines.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4));
            }
            return lines;
        } catch (SQLException e) {
            throw new AssertionError("cannot read the schema of " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> namespaces(String uri) {
        try (Connection connection = connect(uri);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT namespace FROM namespaces")) {
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
        try (Connection connection = connect(uri);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            List<String> problems = new ArrayList<>();
            while (rows.next()) {
                if (!"ok".equals(rows.getString(1))) {
                    problems.add(rows.getString(1));
                }
            }
            return problems;
        } catch (SQLException e) {
            return List.of("cannot check: " + e.getMessage());
        }
    }

    @Override
    public void markMigratedBy(String uri, String version) {
        try (Connection connection = connect(uri);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO flyway_schema_history"
                     + " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)"
                     + " VALUES ((SELECT max(installed_rank) + 1 FROM flyway_schema_history), ?, 'from the future', 'SQL', ?, 0, 'test', 0, 1)")) {
            insert.setString(1, version);
            insert.setString(2, "V" + version + "__from_the_future.sql");
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot mark " + uri + " as migrated: " + e.getMessage(), e);
        }
    }
}
