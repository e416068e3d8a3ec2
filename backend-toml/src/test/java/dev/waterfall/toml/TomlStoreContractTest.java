package dev.waterfall.toml;

import dev.waterfall.contract.ConfigStoreContract;
import dev.waterfall.contract.StoreFixture;

/** The TOML store passes the store contract. */
class TomlStoreContractTest extends ConfigStoreContract {
    @Override
    protected StoreFixture fixture() {
        return new TomlFixture();
    }
}
