package dev.waterfall.config.spi;

import dev.waterfall.config.Key;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.Value;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application's settings schema (JSON Schema, draft 2020-12), as a {@link SchemaProvider}
 * loaded it. {@link dev.waterfall.config.Waterfall} asks it about writes and diagnoses; config-api
 * itself validates nothing, so it needs no JSON Schema library (the CLI's {@code get} never loads one).
 */
public interface SettingsSchema {

    /** Where the schema was read from, as messages name it. */
    String location();

    /** The schema's text, for editors ({@code waterfall schema}). */
    String text();

    /**
     * The rules that these values break, the values taken as one configuration document of just
     * these keys: a {@code required} rule is not checked (other layers may hold the key).
     */
    List<SchemaViolation> check(Map<Key, Value> values);

    /**
     * Whether the schema describes {@code key}: false when an object on its path lists its
     * {@code properties} and none (nor a {@code patternProperties} pattern, nor an
     * {@code additionalProperties} schema) admits the next segment, which is how a typo is found.
     */
    boolean knows(Key key);

    /** The keys of the leaves the schema names, for matching environment variables. */
    List<Key> keys();

    /** What the schema says of {@code key}: description, type, default and allowed values, one line each. */
    Optional<String> describe(Key key);
}
