/**
 * A program that keeps its settings with Waterfall. It names only the API module: the JSON store,
 * {@code dev.waterfall.json}, is on the module path and is bound as a provider of the service that
 * {@code dev.waterfall.config} uses, without a {@code requires}.
 */
module hello.waterfall {
    requires dev.waterfall.config;
}
