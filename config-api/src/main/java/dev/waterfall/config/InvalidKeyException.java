package dev.waterfall.config;

/** A key that breaks {@linkplain Key#RULE the key rule}. */
public class InvalidKeyException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key     the text that was offered as a key
     * @param problem what breaks the rule, e.g. {@code "it has an empty segment"}; the message adds the rule itself
     */
    public InvalidKeyException(String key, String problem) {
        super("invalid key \"" + dev.waterfall.config.spi.Echo.of(key) + "\": " + problem + "; " + Key.RULE);
        this.key = key;
    }

    /** The text that was offered as a key. */
    public String key() {
        return key;
    }
}
