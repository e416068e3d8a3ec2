package dev.waterfall.json;

import dev.waterfall.contract.ConfigStoreContract;
import dev.waterfall.contract.StoreFixture;

/** The JSON store passes the store contract. */
class JsonStoreContractTest extends ConfigStoreContract {
    @Override
    protected StoreFixture fixture() {
        return new JsonFixture();
    }
}
