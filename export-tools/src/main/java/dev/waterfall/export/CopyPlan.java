package dev.waterfall.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an import or migration will do (or did): measured by comparing source and target entry by
 * entry before anything is written. {@code --dry-run} prints it and stops.
 *
 * @param source          the source, as printed (a store's location or a dump's path)
 * @param sourceRevision  the source's store revision
 * @param sourceEntries   entries in the source
 * @param target          the target store's location
 * @param targetRevision  the target's store revision (0: never written)
 * @param targetEntries   entries in the target before the copy
 * @param mode            what was asked for a target that holds entries
 * @param method          how the entries are written
 * @param toAdd           source keys the target lacks
 * @param toChange        keys in both whose values differ
 * @param unchanged       keys in both with equal values
 * @param targetOnly      target keys the source lacks: removed by {@link CopyMode#REPLACE}, kept by
 *                        {@link CopyMode#MERGE}
 * @param withheldKept    target keys that the source, a dump, withheld because they look like secrets
 *                        ({@link ExportMeta#withheldKeys()}): kept in every mode, since the dump does not
 *                        know their values
 * @param historyRecords  history records copied along (only with {@link Method#COPY_WITH_METADATA})
 */
public record CopyPlan(String source, long sourceRevision, long sourceEntries, String target, long targetRevision, long targetEntries,
                       CopyMode mode, Method method, long toAdd, long toChange, long unchanged, long targetOnly, long withheldKept,
                       long historyRecords) {

    /** How the entries reach the target. */
    public enum Method {
        /** The target already holds the source's entries: nothing is written. */
        NOTHING,
        /**
         * The target has never been written and takes a copy ({@link dev.waterfall.config.ConfigStore#loadCopy}):
         * every entry keeps its revision, time and author; history goes along where both keep it.
         */
        COPY_WITH_METADATA,
        /**
         * One atomic batch of ordinary writes (the target holds entries, has been written before, or
         * cannot keep foreign metadata): values and types are copied; revisions, times and authors
         * are the target's own, as for any write. Each key is written only if the target did not
         * change it since the plan was made.
         */
        WRITES
    }

    public CopyPlan {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(method, "method");
    }

    /** The plan in a few lines of plain English, as the command-line tool prints it. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("source: " + source + " (revision " + sourceRevision + ", " + count(sourceEntries) + ")");
        lines.add("target: " + target + (targetRevision == 0 ? " (new, never written)"
                : " (revision " + targetRevision + ", " + count(targetEntries) + ")"));
        switch (method) {
            case NOTHING -> lines.add("plan: nothing to do, the target already holds the source's " + count(sourceEntries));
            case COPY_WITH_METADATA -> lines.add("plan: copy " + count(sourceEntries)
                    + (sourceEntries == 1 ? " with its revision, time and author" : " with their revisions, times and authors")
                    + (historyRecords > 0 ? ", and " + historyRecords + " history record" + (historyRecords == 1 ? "" : "s") : "")
                    + "; the target's revision becomes " + sourceRevision);
            case WRITES -> {
                StringBuilder plan = new StringBuilder("plan: one atomic write (" + mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "): add " + toAdd + ", change " + toChange + ", leave " + unchanged + " equal");
                if (targetOnly > 0) {
                    plan.append(mode == CopyMode.REPLACE ? ", remove " + targetOnly + " not in the source"
                            : ", keep " + targetOnly + " only in the target");
                }
                if (withheldKept > 0) {
                    plan.append(", keep ").append(withheldKept).append(" that the dump withheld as secrets");
                }
                plan.append("; the written keys get the target's next revision and this run as author");
                lines.add(plan.toString());
            }
        }
        return lines;
    }

    private static String count(long entries) {
        return entries + (entries == 1 ? " entry" : " entries");
    }
}
