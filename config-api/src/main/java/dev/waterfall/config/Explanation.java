package dev.waterfall.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every layer's view of one key: what each holds, which wins, and the exact environment variable
 * that would override it.
 *
 * @param key         the key
 * @param envVariable the name of the environment variable for this key, e.g. {@code PIPELINE_PORT}
 * @param layers      one line per layer, highest priority first, present or not
 * @param winner      the resolved value, if any layer has one; its {@link Resolved#expansion()} holds the
 *                    reference chain, or the problem that stopped it (a cycle, a missing key)
 */
public record Explanation(Key key, String envVariable, List<LayerValue> layers, Optional<Resolved> winner) {

    public Explanation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(envVariable, "envVariable");
        layers = List.copyOf(layers);
        Objects.requireNonNull(winner, "winner");
    }

    /**
     * One layer's view of a key.
     *
     * @param layer      the layer
     * @param source     the variable name, store location, file or resource; empty text when the layer is not configured
     * @param configured whether the layer exists at all (no system file configured, no defaults given)
     * @param value      the layer's value for the key, if it has one
     * @param line       the 1-based line of the value in the source, or 0
     * @param profile    the profile this row is a part of ({@code %dev.} keys or a {@code config.dev.json} file), or empty text
     */
    public record LayerValue(Layer layer, String source, boolean configured, Optional<Value> value, int line, String profile) {
        public LayerValue {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(profile, "profile");
        }

        /** A row of no profile. */
        public LayerValue(Layer layer, String source, boolean configured, Optional<Value> value, int line) {
            this(layer, source, configured, value, line, "");
        }

        /** Whether this row supplied {@code winner}: the same layer, source and profile. */
        public boolean supplied(Resolved winner) {
            Origin origin = winner.origin();
            return origin.layer() == layer && origin.profile().equals(profile) && (layer == Layer.ENV || origin.source().equals(source));
        }
    }
}
