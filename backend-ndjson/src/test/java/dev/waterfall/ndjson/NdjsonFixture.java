package dev.waterfall.ndjson;

import dev.waterfall.contract.StoreFixture;

import java.nio.file.Path;

/** The NDJSON store for the contract suite. */
final class NdjsonFixture implements StoreFixture {

    @Override
    public boolean isPlaintext() {
        return true;
    }

    @Override
    public String newStoreUri(Path dir) {
        return "ndjson:" + dir.resolve("config.ndjson");
    }
}
