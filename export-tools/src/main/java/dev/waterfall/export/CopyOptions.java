package dev.waterfall.export;

import java.util.Objects;

/**
 * How to import or migrate.
 *
 * @param mode     what to do with a target that already holds entries
 * @param dryRun   plan only: compare and report, write nothing
 * @param progress receives the number of entries written
 */
public record CopyOptions(CopyMode mode, boolean dryRun, ExportProgress progress) {

    /** Into a new or identical target only, for real, no progress. */
    public static final CopyOptions DEFAULTS = new CopyOptions(CopyMode.NEW_ONLY, false, ExportProgress.NONE);

    public CopyOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(progress, "progress");
    }

    /** These options with another mode. */
    public CopyOptions withMode(CopyMode newMode) {
        return new CopyOptions(newMode, dryRun, progress);
    }

    /** These options as a dry run (or not). */
    public CopyOptions withDryRun(boolean plan) {
        return new CopyOptions(mode, plan, progress);
    }

    /** These options reporting progress to {@code listener}. */
    public CopyOptions withProgress(ExportProgress listener) {
        return new CopyOptions(mode, dryRun, listener);
    }
}
