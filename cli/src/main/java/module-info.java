/**
 * The {@code waterfall} command: get, set, unset, list, explain, history, undo, watch, serve, backups, doctor, export,
 * import, migrate, secret and completion on any store a backend on the path provides. The only module of Waterfall that owns a terminal.
 */
module dev.waterfall.cli {
    requires dev.waterfall.config;
    requires dev.waterfall.export;
    requires dev.waterfall.file;
    requires dev.waterfall.secrets;
    requires dev.waterfall.console;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    opens dev.waterfall.cli to info.picocli;

    // the store schemes that `waterfall completion` offers after --store (StoreSchemes)
    uses dev.waterfall.config.spi.ConfigStoreProvider;

    provides java.lang.System.LoggerFinder with dev.waterfall.cli.TerminalLoggerFinder;
    provides org.slf4j.spi.SLF4JServiceProvider with dev.waterfall.cli.SystemLoggerSlf4jProvider;
}
