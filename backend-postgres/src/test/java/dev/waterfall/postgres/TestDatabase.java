package dev.waterfall.postgres;

import dev.waterfall.jdbc.Namespaces;
import dev.waterfall.config.Actor;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.Services;
import dev.waterfall.config.spi.StoreContext;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use: {@code WATERFALL_TEST_PG_URL}, default
 * {@code postgresql://postgres@127.0.0.1:5432/test}, which {@code scripts/ensure-postgres} makes
 * available (starting or installing the server). Tests never skip when it is missing: they fail,
 * naming the server. Each test works in namespaces of its own and removes only those.
 */
final class TestDatabase {

    static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test";

    private TestDatabase() {
    }

    /** The server's URI, without a namespace. */
    static String url() {
        String configured = System.getenv("WATERFALL_TEST_PG_URL");
        return configured == null || configured.isBlank() ? DEFAULT_URL : configured.strip();
    }

    /** A namespace no other test and no other test run uses. */
    static String uniqueNamespace(String purpose) {
        return purpose + "-" + UUID.randomUUID();
    }

    /** The store URI of {@code namespace} on the test server. */
    static String uri(String namespace) {
        String base = url();
        return base + (base.contains("?") ? "&" : "?") + "namespace=" + Namespaces.encode(namespace);
    }

    /** The namespace a URI of {@link #uri} names. */
    static String namespaceOf(String uri) {
        int at = uri.lastIndexOf("namespace=");
        return Namespaces.decode(dev.waterfall.config.StoreUri.parse(uri), uri.substring(at + "namespace=".length()));
    }

    /** A plain connection to the test database, for looking at what the store wrote. */
    static Connection connect() throws SQLException {
        return connectTo(null);
    }

    /** A plain connection to another database of the test server ({@code null}: the test database). */
    static Connection connectTo(String database) throws SQLException {
        StoreContext context = new StoreContext("tests", new Actor("test", "tester", "testhost", 1), Clock.systemUTC(),
                System.getenv(), Path.of(System.getProperty("user.home")), new Services());
        PostgresTarget target = PostgresTarget.parse(StoreUri.parse(url()), context);
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {target.host()});
        source.setPortNumbers(new int[] {target.port()});
        source.setDatabaseName(database == null ? target.database() : database);
        source.setUser(target.user());
        target.password().reveal().ifPresent(source::setPassword);
        try {
            return source.getConnection();
        } catch (SQLException e) {
            throw new SQLException("the test PostgreSQL at " + target.server() + " does not answer (" + e.getMessage()
                    + "); run scripts/ensure-postgres", e);
        }
    }

    /** Removes one namespace's rows: only ever a namespace the calling test made. */
    static void dropNamespace(String namespace) throws SQLException {
        try (Connection connection = connect()) {
            for (String table : new String[] {"history", "entries", "namespaces"}) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM waterfall." + table + " WHERE namespace = ?")) {
                    delete.setString(1, namespace);
                    delete.executeUpdate();
                }
            }
        }
    }
}
