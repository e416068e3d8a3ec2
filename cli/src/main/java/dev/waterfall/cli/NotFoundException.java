package dev.waterfall.cli;

/** No layer holds a value for the key asked for; exit code {@value ExitCodes#NOT_FOUND}. */
final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
        super(message, null, false, false);
    }
}
