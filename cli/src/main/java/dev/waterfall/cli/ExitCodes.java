package dev.waterfall.cli;

import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.UnknownStoreException;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.export.TargetNotEmptyException;
import picocli.CommandLine;

/**
 * The exit codes of {@code waterfall}, which scripts rely on, and the mapping from failures to
 * them. The same table is in {@code waterfall --help} ({@link WaterfallCli}) and docs/cli.md.
 */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {

    /** Success. */
    static final int OK = 0;
    /** The key has no value in any layer. */
    static final int NOT_FOUND = 1;
    /**
     * Bad usage: an unknown option, a missing argument, an invalid key, value or store URI, or a
     * key that would be both a value and a table (a {@link KeyConflictException}: retrying cannot
     * help, the request itself must change).
     */
    static final int USAGE = 2;
    /** The store or a file layer is broken, unreadable or unreachable. */
    static final int STORE = 3;
    /** A lost compare-and-set: another writer changed the key; re-read and retry. */
    static final int CONFLICT = 4;
    /**
     * After {@code import} or {@code migrate}, the target does not hold what the source holds (a
     * JSON file keeps a date-time as a string, say); the differences are printed.
     */
    static final int VERIFICATION = 5;
    /** A bug in waterfall ({@code EX_SOFTWARE} of sysexits.h). */
    static final int INTERNAL = 70;

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof RevisionConflictException) {
            return CONFLICT;
        }
        if (failure instanceof StoreBrokenException || failure instanceof StoreUnavailableException) {
            return STORE;
        }
        if (failure instanceof TargetNotEmptyException) {
            return USAGE; // the request must change: --merge or --replace
        }
        if (failure instanceof KeyConflictException || failure instanceof InvalidKeyException
                || failure instanceof InvalidValueException || failure instanceof UnknownStoreException
                || failure instanceof CommandLine.ParameterException
                || failure instanceof java.nio.file.InvalidPathException) {
            return USAGE;
        }
        if (failure instanceof WaterfallException) {
            // any other failure of a store or backend: the store could not be used
            return STORE;
        }
        return INTERNAL;
    }
}
