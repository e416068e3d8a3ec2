package dev.waterfall.config;

/** A value that cannot be read or cannot be stored where it was meant to go. */
public class InvalidValueException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }

    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
