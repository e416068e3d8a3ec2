/**
 * Waterfall's API: values, keys, the {@link dev.waterfall.config.ConfigStore} every backend
 * implements, and {@link dev.waterfall.config.Waterfall}, which resolves a key through the
 * environment, the user's store, an optional system file and the shipped defaults.
 *
 * <p>Backends implement {@link dev.waterfall.config.spi.ConfigStoreProvider} and are found with
 * {@link java.util.ServiceLoader} or registered by hand.
 */
module dev.waterfall.config {
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.config;
    exports dev.waterfall.config.spi;
    // What the engines share (the write rules, the revision bound, values as JSON text, bounded
    // reads): for the engines and the tools built on them, not for applications.
    exports dev.waterfall.config.engine to dev.waterfall.file, dev.waterfall.jdbc, dev.waterfall.ndjson, dev.waterfall.json,
            dev.waterfall.postgres, dev.waterfall.export, dev.waterfall.cli;
    // The export's byte-level fast path, shared by the export and the SQL engine that feeds it.
    exports dev.waterfall.config.rows to dev.waterfall.jdbc, dev.waterfall.sqlite, dev.waterfall.postgres, dev.waterfall.export;

    uses dev.waterfall.config.spi.ConfigStoreProvider;
    uses dev.waterfall.config.spi.SchemaProvider;
    uses dev.waterfall.config.spi.BindingProvider;
}
