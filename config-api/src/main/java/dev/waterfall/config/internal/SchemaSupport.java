package dev.waterfall.config.internal;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.SchemaViolationException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.SchemaProvider;
import dev.waterfall.config.spi.SettingsSchema;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A {@code Waterfall}'s settings schema: where it is, and the schema itself, read and handed to
 * the {@link SchemaProvider} only when first needed (a write or a diagnosis), so that opening a
 * configuration and reading it never loads a JSON Schema validator.
 */
public final class SchemaSupport {

    private final URL source;
    private final ClassLoader loader;
    private volatile SettingsSchema loaded;

    private SchemaSupport(URL source, ClassLoader loader) {
        this.source = source;
        this.loader = loader;
    }

    /**
     * The schema given by the builder, else by the {@code <PREFIX>_SCHEMA} variable's file, else none.
     *
     * @throws InvalidValueException if the variable's text is no path
     */
    public static SchemaSupport of(URL given, String variable, ClassLoader loader) {
        if (given != null) {
            return new SchemaSupport(given, loader);
        }
        if (variable != null && !variable.isBlank()) {
            try {
                return new SchemaSupport(Path.of(variable).toAbsolutePath().toUri().toURL(), loader);
            } catch (MalformedURLException | RuntimeException e) {
                throw new InvalidValueException("the settings schema \"" + variable + "\" is not a file path: " + e.getMessage(), e);
            }
        }
        return new SchemaSupport(null, loader);
    }

    /** Where the schema is, for messages; empty without one. */
    public String source() {
        return source == null ? "" : "file".equals(source.getProtocol()) ? source.getPath() : source.toString();
    }

    /** The schema, loaded on first call; empty without one. */
    public Optional<SettingsSchema> get() {
        if (source == null) {
            return Optional.empty();
        }
        SettingsSchema schema = loaded;
        if (schema == null) {
            synchronized (this) {
                schema = loaded;
                if (schema == null) {
                    schema = load();
                    loaded = schema;
                }
            }
        }
        return Optional.of(schema);
    }

    private SettingsSchema load() {
        byte[] content;
        try (InputStream in = source.openStream()) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the settings schema " + source() + ": " + e.getMessage(), e);
        }
        Iterator<SchemaProvider> providers = ServiceLoader.load(SchemaProvider.class, loader).iterator();
        if (!providers.hasNext()) {
            throw new WaterfallException("a settings schema is configured (" + source() + ") but no schema validator is installed: "
                    + "add the module dev.waterfall.config.schema (artifact config-schema)");
        }
        return providers.next().load(source(), content);
    }

    /**
     * Refuses to write {@code value} to {@code key} if the schema rejects it.
     *
     * @throws SchemaViolationException naming each rule and where it is in the schema
     */
    public void refuse(Key key, Value value) {
        Optional<SettingsSchema> schema = get();
        if (schema.isPresent()) {
            List<SchemaViolation> violations = schema.get().check(Map.of(key, value));
            if (!violations.isEmpty()) {
                throw new SchemaViolationException(key, value, violations);
            }
        }
    }
}
