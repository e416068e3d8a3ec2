package dev.waterfall.export;

import java.util.Objects;
import java.util.Optional;

/**
 * What an import or migration did.
 *
 * @param plan         what was planned (and, unless a dry run, done)
 * @param dryRun       whether nothing was written on purpose
 * @param revision     the target's store revision afterwards
 * @param verification the comparison of source and target afterwards; empty after a dry run
 * @param dumpMeta     for an import, the meta file the dump was checked against, if one was found
 */
public record CopyResult(CopyPlan plan, boolean dryRun, long revision, Optional<Verification> verification, Optional<ExportMeta> dumpMeta) {
    public CopyResult {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(dumpMeta, "dumpMeta");
    }

    /** Whether the target holds what it should (true after a dry run, which checks nothing). */
    public boolean verified() {
        return verification.map(Verification::identical).orElse(true);
    }
}
