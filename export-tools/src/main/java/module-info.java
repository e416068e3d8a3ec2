/**
 * Waterfall's export tools: deterministic, timestamped plaintext dumps of any store (CSV, JSON,
 * NDJSON) with a meta file and a {@code latest_export} pointer, written temp-then-rename, with
 * retention; the same on a schedule; and import of a dump, or migration of a whole store, into any
 * other store, verified afterwards.
 *
 * <p>Everything works on the public {@link dev.waterfall.config.ConfigStore} API; the durable-file
 * kernel provides the atomic file writes and the directory lock.
 */
module dev.waterfall.export {
    requires transitive dev.waterfall.config;
    requires transitive dev.waterfall.file;
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.export;
}
