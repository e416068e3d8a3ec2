/**
 * The JSON store ({@code json:PATH}), Waterfall's default: a pretty-printed JSON file nested by key
 * path, on the durable-file kernel.
 */
module dev.waterfall.json {
    requires dev.waterfall.config;
    requires dev.waterfall.file;
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.json;

    provides dev.waterfall.config.spi.ConfigStoreProvider with dev.waterfall.json.JsonStoreProvider;
}
