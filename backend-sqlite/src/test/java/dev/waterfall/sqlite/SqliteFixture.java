package dev.waterfall.sqlite;

import dev.waterfall.contract.StoreFixture;

import java.nio.file.Path;

/** The SQLite store for the contract suite: a fresh database file in the test's folder. */
final class SqliteFixture implements StoreFixture {

    @Override
    public String newStoreUri(Path dir) {
        return "sqlite:" + dir.resolve("store.db");
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

    /** The file, its folders and the schema appear with the first write, as for the file stores. */
    @Override
    public boolean createsNothingBeforeFirstWrite() {
        return true;
    }
}
