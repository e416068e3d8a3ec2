package dev.waterfall.config;

/** The layers of the waterfall, highest priority first. */
public enum Layer {
    /** An environment variable {@code <PREFIX>_<KEY>}. */
    ENV("env"),
    /** The user's store: the one writable layer. */
    STORE("store"),
    /** The optional read-only system file, such as {@code /etc/<app>/config.toml}. */
    SYSTEM("system"),
    /** The defaults shipped with the program: a resource, a file or a map. Never written. */
    DEFAULTS("defaults");

    private final String label;

    Layer(String label) {
        this.label = label;
    }

    /** The lower-case name used in output: {@code env}, {@code store}, {@code system}, {@code defaults}. */
    public String label() {
        return label;
    }
}
