package dev.waterfall.toml;

import dev.waterfall.contract.FileStoreDurabilityContract;
import dev.waterfall.contract.FileStoreFixture;

/** The TOML store keeps the durable-file promises: many processes, kill -9, I/O faults, broken files. */
class TomlStoreDurabilityTest extends FileStoreDurabilityContract {
    @Override
    protected FileStoreFixture fixture() {
        return new TomlFixture();
    }
}
