/**
 * The settings console: a live page in the browser over a {@link dev.waterfall.config.Waterfall},
 * served on 127.0.0.1 by the JDK's HTTP server; see {@link dev.waterfall.console.Console}.
 */
module dev.waterfall.console {
    requires dev.waterfall.config;
    requires com.fasterxml.jackson.core;
    requires jdk.httpserver;

    exports dev.waterfall.console;
}
