package dev.waterfall.json;

import dev.waterfall.contract.FileStoreDurabilityContract;
import dev.waterfall.contract.FileStoreFixture;

/** The JSON store keeps the durable-file promises, with the Python writer of docs/protocol.md in the race. */
class JsonStoreDurabilityTest extends FileStoreDurabilityContract {
    @Override
    protected FileStoreFixture fixture() {
        return new JsonFixture();
    }
}
