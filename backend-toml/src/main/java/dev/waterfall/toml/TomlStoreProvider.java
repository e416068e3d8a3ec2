package dev.waterfall.toml;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.ParsedDocument;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.file.FileStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Opens TOML stores: {@code toml:PATH}, where {@code PATH} may start with {@code ~/}; an optional
 * {@code ?backups=N} sets how many backups to keep (default 20). Also reads {@code .toml} files as
 * read-only layers (defaults, system file), with the line of every key.
 *
 * <p>A write to a TOML store changes only the lines of the keys it changes: comments, blank lines,
 * key order, table layout, quoting and number formatting of everything else stay byte for byte,
 * and so do the file's line endings. TOML has no null and its integers are 64-bit: such values are
 * refused with a message that says what to store instead.
 *
 * <p>Found with {@link java.util.ServiceLoader}, or register it by hand:
 * {@code Waterfall.builder("app").provider(new TomlStoreProvider())}.
 */
public final class TomlStoreProvider implements ConfigStoreProvider {

    private final TomlCodec codec = new TomlCodec();

    /** A provider; {@link java.util.ServiceLoader} makes one, and so may a program that registers it by hand. */
    public TomlStoreProvider() {
        // stateless: the codec is too
    }

    @Override
    public Set<String> schemes() {
        return Set.of("toml");
    }

    @Override
    public ConfigStore open(StoreUri uri, StoreContext context) {
        return FileStore.open(uri, codec, context);
    }

    @Override
    public Set<String> documentExtensions() {
        return Set.of("toml");
    }

    @Override
    public ParsedDocument readDocument(byte[] content, String source) {
        TomlDocument document = codec.parse(content, source);
        Map<Key, Integer> lines = new HashMap<>();
        document.values().keySet().forEach(key -> lines.put(key, document.line(key)));
        return new ParsedDocument(document.values(), lines);
    }
}
