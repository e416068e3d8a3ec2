package dev.waterfall.contract;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@link StoreFixture} for stores in a database (SQLite, PostgreSQL): the database suite needs to
 * name namespaces, look at the schema as the database sees it, and make a fresh database.
 */
public interface DatabaseStoreFixture extends StoreFixture {

    /** The URI of the store of {@code namespace} in the same database as {@code uri}. */
    String withNamespace(String uri, String namespace);

    /**
     * The URI of a store in a database that does not exist yet or has no schema (a new SQLite file,
     * a new PostgreSQL database), for the tests of opening and migrating.
     */
    String newDatabaseUri(Path dir);

    /**
     * The tables and columns of the database behind {@code uri}, one line each, sorted: what an
     * injection would change.
     */
    List<String> schema(String uri);

    /** Every namespace stored in the database behind {@code uri}, exactly as stored. */
    List<String> namespaces(String uri);

    /** What the database's own consistency check finds wrong; empty when all is well. */
    List<String> integrityProblems(String uri);

    /**
     * Makes the database behind {@code uri} look as if a newer Waterfall had migrated it to
     * {@code version} (a row in Flyway's history table).
     */
    void markMigratedBy(String uri, String version);

    /** The schema version this backend's newest migration brings a database to. */
    default String schemaVersion() {
        return "1";
    }

    /** Removes what the test made in shared databases (its namespaces, its databases); never more. */
    default void cleanUp(List<String> uris) {
    }
}
