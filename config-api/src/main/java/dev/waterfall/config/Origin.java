package dev.waterfall.config;

import java.util.Objects;

/**
 * Where a value came from.
 *
 * @param layer  the layer that supplied it
 * @param source the environment variable's name, the store's location, or the file or resource
 * @param line   the 1-based line in the source, or 0 when the source has no lines
 */
public record Origin(Layer layer, String source, int line) {
    public Origin {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(source, "source");
    }

    /** {@code env PIPELINE_PORT}, {@code store /home/me/.config/pipeline/config.json:12}. */
    @Override
    public String toString() {
        return layer.label() + " " + source + (line > 0 ? ":" + line : "");
    }
}
