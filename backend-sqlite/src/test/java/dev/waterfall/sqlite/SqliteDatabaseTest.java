package dev.waterfall.sqlite;

import dev.waterfall.contract.DatabaseStoreContract;
import dev.waterfall.contract.DatabaseStoreFixture;

/** The SQLite store keeps the database stores' promises with real processes on real files. */
class SqliteDatabaseTest extends DatabaseStoreContract {
    @Override
    protected DatabaseStoreFixture fixture() {
        return new SqliteDatabaseFixture();
    }
}
