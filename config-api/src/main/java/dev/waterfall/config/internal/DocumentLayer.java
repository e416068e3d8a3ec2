package dev.waterfall.config.internal;

import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.ParsedDocument;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A read-only layer: the system file or the shipped defaults. A file is re-read when it changes
 * (by size, modification time and identity) and is never written; a missing optional file is an
 * empty layer.
 */
public final class DocumentLayer {

    private final String source;
    private final Path file;
    private final boolean optional;
    private final Function<byte[], ParsedDocument> parser;
    private volatile Cached cached;

    private record Cached(Object fileKey, long size, FileTime modified, ParsedDocument document) {
    }

    private DocumentLayer(String source, Path file, boolean optional, Function<byte[], ParsedDocument> parser, ParsedDocument fixed) {
        this.source = source;
        this.file = file;
        this.optional = optional;
        this.parser = parser;
        this.cached = fixed == null ? null : new Cached(null, -1, null, fixed);
    }

    /** A layer of fixed values, such as defaults given as a map. */
    public static DocumentLayer ofValues(String source, Map<Key, Value> values) {
        return new DocumentLayer(source, null, false, null, new ParsedDocument(values, Map.of()));
    }

    /**
     * A layer read from a file, re-read whenever it changes.
     *
     * @param optional whether a missing file is an empty layer (the system file) rather than an error
     */
    public static DocumentLayer ofFile(Path file, boolean optional, Providers providers) {
        ConfigStoreProvider provider = readerFor(file.getFileName().toString(), providers);
        String source = file.toString();
        return new DocumentLayer(source, file, optional, bytes -> provider.readDocument(bytes, source), null);
    }

    /** A layer read once from a resource of the program. */
    public static DocumentLayer ofResource(URL resource, Providers providers) {
        Objects.requireNonNull(resource, "resource");
        String source = resource.toString();
        ConfigStoreProvider provider = readerFor(resource.getPath(), providers);
        byte[] bytes;
        try (InputStream in = resource.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the defaults resource " + source + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        return new DocumentLayer(source, null, false, null, provider.readDocument(bytes, source));
    }

    private static ConfigStoreProvider readerFor(String name, Providers providers) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return providers.forExtension(extension).orElseThrow(() -> new WaterfallException(
                "cannot read " + name + ": no installed backend reads ." + extension + " files (readable: "
                        + providers.documentExtensions() + "); add the backend for it, e.g. waterfall-backend-toml"));
    }

    /** The file or resource, as origins name it. */
    public String source() {
        return source;
    }

    /**
     * The layer's current document.
     *
     * @throws StoreBrokenException if the file does not parse
     */
    public ParsedDocument document() {
        if (file == null) {
            return cached.document();
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (optional) {
                return new ParsedDocument(Map.of(), Map.of());
            }
            throw new StoreUnavailableException(file + " does not exist; create it or stop naming it", e);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        Cached current = cached;
        if (current != null && Objects.equals(current.fileKey(), attributes.fileKey()) && current.size() == attributes.size()
                && current.modified().equals(attributes.lastModifiedTime())) {
            return current.document();
        }
        try {
            ParsedDocument document = parser.apply(dev.waterfall.config.engine.BoundedFiles.readAllBytes(file));
            cached = new Cached(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), document);
            return document;
        } catch (NoSuchFileException e) {
            return document();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }
}
