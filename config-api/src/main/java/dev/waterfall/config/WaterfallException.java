package dev.waterfall.config;

/**
 * The root of every exception Waterfall throws. Messages name the key, file, line or value at
 * fault and say what to do; treat their text as API.
 */
public class WaterfallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the key, file, line or value at fault and says what to do */
    public WaterfallException(String message) {
        super(message);
    }

    /**
     * @param message names the key, file, line or value at fault and says what to do
     * @param cause   the underlying error
     */
    public WaterfallException(String message, Throwable cause) {
        super(message, cause);
    }
}
