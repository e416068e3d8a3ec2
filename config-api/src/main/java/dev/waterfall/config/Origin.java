package dev.waterfall.config;

import java.util.Objects;

/**
 * Where a value came from.
 *
 * @param layer  the layer that supplied it
 * @param source the environment variable's name, the store's location, or the file or resource
 * @param line    the 1-based line in the source, or 0 when the source has no lines
 * @param profile the profile that supplied the value (a {@code %dev.} key or a {@code config.dev.json}
 *                file, docs/references.md), or empty text for a value of no profile
 */
public record Origin(Layer layer, String source, int line, String profile) {
    public Origin {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(profile, "profile");
    }

    /** A value of no profile. */
    public Origin(Layer layer, String source, int line) {
        this(layer, source, line, "");
    }

    /**
     * {@code env PIPELINE_PORT}, {@code store /home/me/.config/pipeline/config.json:12}, and for a
     * profile's value {@code store /home/me/.config/pipeline/config.json:14 (profile dev)}.
     */
    @Override
    public String toString() {
        return layer.label() + " " + source + (line > 0 ? ":" + line : "") + (profile.isEmpty() ? "" : " (profile " + profile + ")");
    }
}
