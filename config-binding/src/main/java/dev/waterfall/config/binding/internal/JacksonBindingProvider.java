package dev.waterfall.config.binding.internal;

import dev.waterfall.config.Waterfall;
import dev.waterfall.config.binding.Binder;
import dev.waterfall.config.spi.BindingProvider;

/**
 * What {@code Waterfall.bind} and {@code Waterfall.live} find with {@link java.util.ServiceLoader}:
 * one {@link Binder} per {@code Waterfall}, which keeps the plans of the types it binds.
 */
public final class JacksonBindingProvider implements BindingProvider {

    /** For {@link java.util.ServiceLoader}. */
    public JacksonBindingProvider() {
    }

    @Override
    public Binding open(Waterfall config) {
        return Binder.of(config);
    }
}
