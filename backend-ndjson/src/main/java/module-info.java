/**
 * The NDJSON store ({@code ndjson:PATH}): an append-only change log, one JSON line per commit, on
 * the durable-file kernel's lock protocol.
 */
module dev.waterfall.ndjson {
    requires dev.waterfall.config;
    requires dev.waterfall.file;
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.ndjson;

    provides dev.waterfall.config.spi.ConfigStoreProvider with dev.waterfall.ndjson.NdjsonStoreProvider;
}
