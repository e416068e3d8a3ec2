package dev.waterfall.sqlite;

import dev.waterfall.contract.ConfigStoreContract;
import dev.waterfall.contract.StoreFixture;

/** The SQLite store passes the store contract against real database files. */
class SqliteStoreContractTest extends ConfigStoreContract {
    @Override
    protected StoreFixture fixture() {
        return new SqliteFixture();
    }
}
