package dev.waterfall.export;

import dev.waterfall.config.WaterfallException;

/**
 * A dump that cannot be written or read: a malformed row (named by file and line), a dump that does
 * not match its meta file, an export name that would leave the target folder, an I/O error. Nothing
 * was imported, and no partial dump was left under a final name.
 */
public class DumpException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    /** @param message names the dump, file or line at fault and says what to do */
    public DumpException(String message) {
        super(message);
    }

    /**
     * @param message names the dump, file or line at fault and says what to do
     * @param cause   the I/O or parser error
     */
    public DumpException(String message, Throwable cause) {
        super(message, cause);
    }
}
