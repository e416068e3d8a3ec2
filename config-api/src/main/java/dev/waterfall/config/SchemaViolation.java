package dev.waterfall.config;

import java.util.Objects;

/**
 * A value that the application's settings schema (JSON Schema, draft 2020-12) rejects.
 *
 * @param key      the key whose value breaks the rule, e.g. {@code server.port}
 * @param rule     the schema keyword broken: {@code maximum}, {@code type}, {@code enum},
 *                 {@code pattern}, {@code additionalProperties} (a key the schema does not know)…
 * @param message  the validator's explanation, e.g. {@code must have a maximum value of 65535}
 * @param schemaLocation where in which schema the rule is: {@code /app/schema.json#/properties/server/properties/port/maximum}
 */
public record SchemaViolation(String key, String rule, String message, String schemaLocation) {
    public SchemaViolation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(schemaLocation, "schemaLocation");
    }

    /** {@code server.port: breaks "maximum" (must have a maximum value of 65535) at /app/schema.json#/properties/…}. */
    @Override
    public String toString() {
        return key + ": breaks \"" + rule + "\" (" + message + ") at " + schemaLocation;
    }
}
