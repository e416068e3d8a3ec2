package dev.waterfall.export;

import dev.waterfall.config.SecretPolicy;
import dev.waterfall.export.internal.DumpNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What to export, where and how: build one with {@link #to(Path, DumpFormat)} and the {@code with}
 * methods.
 *
 * @param directory     the target folder; created (0700) if missing
 * @param format        the dump format
 * @param storeName     the store name in the file names; empty to derive it from the store's location
 *                      (the file name without extension, or the PostgreSQL namespace or database)
 * @param keep          how many dumps of this store and format to keep, newest first; 0 keeps all
 * @param skipUnchanged whether to write nothing when the newest dump's meta records the store's
 *                      current revision (scheduled exports)
 * @param progress      receives progress from the exporting thread
 * @param cancelled     asked between rows; when it says {@code true} the export stops and leaves
 *                      nothing behind
 * @param lockTimeout   how long to wait for another export into the same folder to finish
 * @param includeSecrets whether keys that {@linkplain SecretPolicy#looksSecret look like secrets} are
 *                      written with their values; by default they are withheld (left out of the dump and
 *                      named in its meta file), unless the value is a {@code ${secret:NAME}} reference
 */
public record ExportRequest(Path directory, DumpFormat format, Optional<String> storeName, int keep, boolean skipUnchanged,
                            ExportProgress progress, BooleanSupplier cancelled, Duration lockTimeout, boolean includeSecrets) {

    public ExportRequest {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 (keep all) or a positive number of dumps, not " + keep);
        }
    }

    /**
     * An export of the whole store into {@code directory}: name from the store, keep all, no progress,
     * 60 s lock timeout, secrets withheld.
     */
    public static ExportRequest to(Path directory, DumpFormat format) {
        return new ExportRequest(directory, format, Optional.empty(), 0, false, ExportProgress.NONE, () -> false, Duration.ofSeconds(60),
                false);
    }

    /**
     * This request with the store name given.
     *
     * @throws DumpException if the name could lead out of the target folder or is unfit for a file
     *         name: a separator, {@code ..}, an absolute path, NUL, a leading dot, more than 64 characters
     */
    public ExportRequest withStoreName(String name) {
        DumpNames.of(name, format);
        return new ExportRequest(directory, format, Optional.of(name), keep, skipUnchanged, progress, cancelled, lockTimeout, includeSecrets);
    }

    /** This request keeping only the newest {@code count} dumps (0 keeps all). */
    public ExportRequest withKeep(int count) {
        return new ExportRequest(directory, format, storeName, count, skipUnchanged, progress, cancelled, lockTimeout, includeSecrets);
    }

    /** This request skipping the export when the store has not changed since the newest dump. */
    public ExportRequest withSkipUnchanged(boolean skip) {
        return new ExportRequest(directory, format, storeName, keep, skip, progress, cancelled, lockTimeout, includeSecrets);
    }

    /** This request reporting progress to {@code listener}. */
    public ExportRequest withProgress(ExportProgress listener) {
        return new ExportRequest(directory, format, storeName, keep, skipUnchanged, listener, cancelled, lockTimeout, includeSecrets);
    }

    /** This request stopping (and leaving nothing behind) once {@code condition} says so. */
    public ExportRequest withCancellation(BooleanSupplier condition) {
        return new ExportRequest(directory, format, storeName, keep, skipUnchanged, progress, condition, lockTimeout, includeSecrets);
    }

    /** This request waiting at most {@code timeout} for another export into the same folder. */
    public ExportRequest withLockTimeout(Duration timeout) {
        return new ExportRequest(directory, format, storeName, keep, skipUnchanged, progress, cancelled, timeout, includeSecrets);
    }

    /**
     * This request writing keys that look like secrets with their values ({@code true}), or withholding
     * them ({@code false}, the default): a dump is a plaintext file that people open, copy and back up.
     */
    public ExportRequest withSecretsIncluded(boolean include) {
        return new ExportRequest(directory, format, storeName, keep, skipUnchanged, progress, cancelled, lockTimeout, include);
    }
}
