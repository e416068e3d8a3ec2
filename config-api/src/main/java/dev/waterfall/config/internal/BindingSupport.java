package dev.waterfall.config.internal;

import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.BindingProvider;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * A {@code Waterfall}'s typed binding: the {@link BindingProvider} found with
 * {@link ServiceLoader} on first use, so that reading keys never loads jackson-databind.
 */
public final class BindingSupport {

    private final ClassLoader loader;
    private volatile BindingProvider.Binding binding;

    /** Finds the provider with {@code loader}. */
    public BindingSupport(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The binding of {@code config}, opened on first call.
     *
     * @throws WaterfallException if no binding module is installed
     */
    public BindingProvider.Binding get(Waterfall config) {
        BindingProvider.Binding current = binding;
        if (current == null) {
            synchronized (this) {
                current = binding;
                if (current == null) {
                    Iterator<BindingProvider> providers = ServiceLoader.load(BindingProvider.class, loader).iterator();
                    if (!providers.hasNext()) {
                        throw new WaterfallException("binding settings to a type needs jackson-databind, which config-api does not load: "
                                + "add the dependency dev.waterfall:config-binding (module dev.waterfall.config.binding)");
                    }
                    current = providers.next().open(config);
                    binding = current;
                }
            }
        }
        return current;
    }
}
