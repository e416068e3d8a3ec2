package dev.waterfall.config;

/**
 * A store that cannot be reached or written right now: an I/O error, a full disk, a database
 * server that is down. Nothing was changed by the operation that failed.
 */
public class StoreUnavailableException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the store and what failed
     * @param cause   the I/O or database error
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message names the store and what failed */
    public StoreUnavailableException(String message) {
        super(message);
    }
}
