package dev.waterfall.postgres;

import dev.waterfall.contract.StoreFixture;

import java.nio.file.Path;

/** The PostgreSQL store for the contract suite: a fresh namespace on the test server per test. */
final class PostgresFixture implements StoreFixture {

    @Override
    public String newStoreUri(Path dir) {
        return TestDatabase.uri(TestDatabase.uniqueNamespace("contract"));
    }

    /** The type column keeps date-times and non-finite numbers. */
    @Override
    public boolean keepsDateTimes() {
        return true;
    }

    @Override
    public boolean holdsNonFiniteNumbers() {
        return true;
    }

    /**
     * False: the first use (a read too) creates the schema {@code waterfall} in the database if it is
     * missing. Nothing is ever created in the user's folders, which is what the contract's check
     * looks at, so claiming true would pass without meaning anything.
     */
    @Override
    public boolean createsNothingBeforeFirstWrite() {
        return false;
    }
}
