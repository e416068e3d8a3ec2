package dev.waterfall.config.internal;

import dev.waterfall.config.UnknownStoreException;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.ConfigStoreProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The providers one Waterfall instance knows: those registered by hand first, then those found
 * with {@link ServiceLoader} (this module declares {@code uses}, so the lookup lives here).
 * A scheme registered by hand wins over a discovered provider of the same scheme.
 */
public final class Providers {

    private final Map<String, ConfigStoreProvider> byScheme;
    private final List<ConfigStoreProvider> all;

    private Providers(Map<String, ConfigStoreProvider> byScheme, List<ConfigStoreProvider> all) {
        this.byScheme = Collections.unmodifiableMap(byScheme);
        this.all = List.copyOf(all);
    }

    /**
     * The explicit providers plus, if {@code discover}, every provider {@link ServiceLoader} finds
     * through {@code loader} (module path and class path).
     */
    public static Providers of(List<ConfigStoreProvider> explicit, boolean discover, ClassLoader loader) {
        Map<String, ConfigStoreProvider> byScheme = new LinkedHashMap<>();
        List<ConfigStoreProvider> all = new ArrayList<>();
        for (ConfigStoreProvider provider : explicit) {
            register(provider, byScheme, all);
        }
        if (discover) {
            try {
                for (ConfigStoreProvider provider : ServiceLoader.load(ConfigStoreProvider.class, loader)) {
                    if (all.stream().noneMatch(known -> known.getClass() == provider.getClass())) {
                        register(provider, byScheme, all);
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new WaterfallException("a store provider on the class or module path cannot be loaded: " + e.getMessage(), e);
            }
        }
        return new Providers(byScheme, all);
    }

    private static void register(ConfigStoreProvider provider, Map<String, ConfigStoreProvider> byScheme, List<ConfigStoreProvider> all) {
        all.add(provider);
        for (String scheme : provider.schemes()) {
            byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), provider);
        }
    }

    /**
     * The provider for {@code uri}'s scheme.
     *
     * @throws UnknownStoreException listing the installed schemes
     */
    public ConfigStoreProvider forUri(StoreUri uri) {
        ConfigStoreProvider provider = byScheme.get(uri.scheme());
        if (provider == null) {
            throw new UnknownStoreException(uri.toString(), uri.scheme(), schemes());
        }
        return provider;
    }

    /** The provider that reads documents with this file extension, if any. */
    public Optional<ConfigStoreProvider> forExtension(String extension) {
        String wanted = extension.toLowerCase(Locale.ROOT);
        return all.stream().filter(provider -> provider.documentExtensions().contains(wanted)).findFirst();
    }

    /** Every scheme some provider handles. */
    public Set<String> schemes() {
        return Collections.unmodifiableSet(new TreeSet<>(byScheme.keySet()));
    }

    /** Every extension some provider reads documents of. */
    public Set<String> documentExtensions() {
        Set<String> extensions = new TreeSet<>();
        all.forEach(provider -> extensions.addAll(provider.documentExtensions()));
        return extensions;
    }
}
