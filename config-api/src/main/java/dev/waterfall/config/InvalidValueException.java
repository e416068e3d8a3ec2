package dev.waterfall.config;

/** A value that cannot be read or cannot be stored where it was meant to go. */
public class InvalidValueException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    /** @param message names the key or value and says what to do instead */
    public InvalidValueException(String message) {
        super(message);
    }

    /**
     * @param message names the key or value and says what to do instead
     * @param cause   the parser's or converter's own error
     */
    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
