package dev.waterfall.postgres;

import dev.waterfall.contract.DatabaseStoreContract;
import dev.waterfall.contract.DatabaseStoreFixture;

/** The PostgreSQL store keeps the database stores' promises with real processes on a real server. */
class PostgresDatabaseTest extends DatabaseStoreContract {
    @Override
    protected DatabaseStoreFixture fixture() {
        return new PostgresDatabaseFixture();
    }
}
