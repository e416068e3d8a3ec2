package dev.waterfall.json;

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
 * Opens JSON stores: {@code json:PATH}, where {@code PATH} may start with {@code ~/}; an optional
 * {@code ?backups=N} sets how many backups to keep (default 20). Also reads {@code .json} files as
 * read-only layers (defaults, system file).
 *
 * <p>Found with {@link java.util.ServiceLoader}, or register it by hand:
 * {@code Waterfall.builder("app").provider(new JsonStoreProvider())}.
 */
public final class JsonStoreProvider implements ConfigStoreProvider {

    private final JsonCodec codec = new JsonCodec();

    @Override
    public Set<String> schemes() {
        return Set.of("json");
    }

    @Override
    public ConfigStore open(StoreUri uri, StoreContext context) {
        return FileStore.open(uri, codec, context);
    }

    @Override
    public Set<String> documentExtensions() {
        return Set.of("json");
    }

    @Override
    public ParsedDocument readDocument(byte[] content, String source) {
        JsonCodec.JsonDocument document = codec.parse(content, source);
        Map<Key, Integer> lines = new HashMap<>();
        document.values().keySet().forEach(key -> lines.put(key, document.line(key)));
        return new ParsedDocument(document.values(), lines);
    }
}
