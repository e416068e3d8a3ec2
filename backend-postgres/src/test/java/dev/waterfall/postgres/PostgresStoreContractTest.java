package dev.waterfall.postgres;

import dev.waterfall.contract.ConfigStoreContract;
import dev.waterfall.contract.StoreFixture;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;

/** The PostgreSQL store passes the store contract against a real server, one namespace per test. */
class PostgresStoreContractTest extends ConfigStoreContract {

    @Override
    protected StoreFixture fixture() {
        return new PostgresFixture();
    }

    @AfterEach
    void dropTheTestsNamespace() throws SQLException {
        TestDatabase.dropNamespace(TestDatabase.namespaceOf(uri));
    }
}
