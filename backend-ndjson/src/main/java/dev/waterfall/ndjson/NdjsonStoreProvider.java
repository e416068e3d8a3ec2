package dev.waterfall.ndjson;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.StoreContext;

import java.util.Set;

/**
 * Opens NDJSON stores: {@code ndjson:PATH}, an append-only change log, one JSON line per commit,
 * where {@code PATH} may start with {@code ~/}; an optional {@code ?compact-after=N} sets after how
 * many commits the log is compacted (default 10,000).
 *
 * <p>Found with {@link java.util.ServiceLoader}, or register it by hand:
 * {@code Waterfall.builder("app").provider(new NdjsonStoreProvider())}.
 */
public final class NdjsonStoreProvider implements ConfigStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("ndjson");
    }

    @Override
    public ConfigStore open(StoreUri uri, StoreContext context) {
        return NdjsonStore.open(uri, context);
    }
}
