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
 * @param winner      the resolved value, if any layer has one
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
     */
    public record LayerValue(Layer layer, String source, boolean configured, Optional<Value> value, int line) {
        public LayerValue {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(value, "value");
        }
    }
}
