package dev.waterfall.ndjson;

import dev.waterfall.contract.ConfigStoreContract;
import dev.waterfall.contract.StoreFixture;

/** The NDJSON store passes the store contract. */
class NdjsonStoreContractTest extends ConfigStoreContract {
    @Override
    protected StoreFixture fixture() {
        return new NdjsonFixture();
    }
}
