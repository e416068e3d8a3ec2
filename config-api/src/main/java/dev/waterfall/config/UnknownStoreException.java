package dev.waterfall.config;

import java.util.Set;

/** A store URI whose scheme no installed provider handles. */
public class UnknownStoreException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final String scheme;
    private final Set<String> installed;

    /**
     * @param uri       the store URI as given
     * @param scheme    its scheme, which no provider handles
     * @param installed the schemes that installed providers handle
     */
    public UnknownStoreException(String uri, String scheme, Set<String> installed) {
        super("no store provider handles \"" + scheme + ":\" (store " + uri + "); installed: "
                + (installed.isEmpty() ? "none (put a store's artifact, such as dev.waterfall:backend-json, on the class or module path)"
                        : String.join(", ", installed.stream().sorted().map(s -> s + ":").toList())));
        this.scheme = scheme;
        this.installed = Set.copyOf(installed);
    }

    /** The scheme that no installed provider handles. */
    public String scheme() {
        return scheme;
    }

    /** The schemes that installed providers handle. */
    public Set<String> installed() {
        return installed;
    }
}
