/**
 * The TOML store ({@code toml:PATH}): a TOML file that people edit by hand, on the durable-file
 * kernel. A write changes only the lines of the keys it changes; comments, blank lines, order,
 * quoting and number formatting of everything else stay byte for byte.
 */
module dev.waterfall.toml {
    requires transitive dev.waterfall.config;
    requires dev.waterfall.file;
    requires org.tomlj;

    exports dev.waterfall.toml;

    provides dev.waterfall.config.spi.ConfigStoreProvider with dev.waterfall.toml.TomlStoreProvider;
}
