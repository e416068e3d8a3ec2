package dev.waterfall.config.binding;

import java.util.Objects;
import java.util.Optional;

/**
 * One value that {@link Binder} could not use, as the {@link BindingException} lists it.
 *
 * @param key      the key at fault as the layers spell it ({@code server.max_retries}); a list item
 *                 as {@code servers[2]}; a missing key as the component's name ({@code server.port})
 * @param expected what would have been accepted: {@code an integer from 1 to 65535}, {@code one of
 *                 GREEN, AMBER}, {@code a duration such as 30s, 1h30m or PT30S}
 * @param value    the value as it may be printed: JSON text, {@code <redacted>} when the key looks
 *                 like a secret's or the value is a secret; empty when the key is missing
 * @param origin   where the value came from (the environment variable, {@code store json:/path:12},
 *                 {@code defaults file:/app/defaults.json:3}); for a missing key, every place that
 *                 was looked in
 */
public record BindingProblem(String key, String expected, Optional<String> value, String origin) {

    public BindingProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }

    /** Whether the key was absent from every layer. */
    public boolean missing() {
        return value.isEmpty();
    }

    /**
     * {@code server.port: expected an integer from 1 to 65535, got "80a" from WATERFALL_SERVER_PORT};
     * {@code server.host: missing, expected a string; looked in WATERFALL_SERVER_HOST, store json:/…}.
     */
    @Override
    public String toString() {
        return value.map(shown -> key + ": expected " + expected + ", got " + shown + " from " + origin)
                .orElseGet(() -> key + ": missing, expected " + expected + "; looked in " + origin);
    }
}
