package dev.waterfall.config.spi;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUri;

import java.util.Set;

/**
 * Opens stores of the URI schemes it handles. Found with {@link java.util.ServiceLoader} (declare it
 * with {@code provides dev.waterfall.config.spi.ConfigStoreProvider with ...} in
 * {@code module-info.java} <em>and</em> in {@code META-INF/services}, so it works on the module path
 * and the class path), or registered by hand with {@code Waterfall.builder(...).provider(...)}.
 *
 * <p>A provider is stateless: state that stores share within one Waterfall instance (lock tables,
 * connection pools) lives in {@link StoreContext#services()}.
 */
public interface ConfigStoreProvider {

    /** The URI schemes this provider handles, lower-case, without the colon: {@code json}. */
    Set<String> schemes();

    /**
     * Opens the store at {@code uri}. Opening never creates a file or folder: a store that does
     * not exist yet is empty, and the first write creates it.
     *
     * @throws dev.waterfall.config.WaterfallException with a clear message if the URI is malformed
     *         or the store cannot be opened
     */
    ConfigStore open(StoreUri uri, StoreContext context);

    /**
     * The file extensions (lower-case, without the dot) of documents this provider can read as a
     * read-only layer (shipped defaults, the system file). Empty by default.
     */
    default Set<String> documentExtensions() {
        return Set.of();
    }

    /**
     * Reads a document of one of {@link #documentExtensions()} as a read-only layer.
     *
     * @param content the bytes
     * @param source  the file or resource, as it should be named in messages and origins
     * @throws StoreBrokenException naming source, line and column if the content does not parse
     */
    default ParsedDocument readDocument(byte[] content, String source) {
        throw new UnsupportedOperationException(getClass().getName() + " reads no documents");
    }
}
