package dev.waterfall.config;

/**
 * A store that cannot be reached or written right now: an I/O error, a full disk, a database
 * server that is down. Nothing was changed by the operation that failed.
 */
public class StoreUnavailableException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
