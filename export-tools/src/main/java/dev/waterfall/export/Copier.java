package dev.waterfall.export;

import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.engine.JsonValues;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The copy at the heart of import and migration: plan by comparing source and target entry by entry,
 * write (a copy with metadata into a new store, else one atomic batch), then read both back and
 * compare. Both sides are walked in key order, so comparing needs no memory beyond the batch.
 */
final class Copier {

    /** Differences listed in a verification; the rest are only counted. */
    private static final int DIFFERENCES_LISTED = 20;

    /** Where entries come from: a store or a dump. Each {@link #open()} is a fresh pass in key order. */
    interface Source {
        /** The source as printed. */
        String description();

        /** A fresh pass over the entries. */
        EntryCursor open();

        /** The history records up to {@code revision}, oldest first; empty when the source keeps none. */
        List<HistoryRecord> history(long revision);
    }

    private Copier() {
    }

    static CopyResult copy(Source source, ConfigStore target, CopyMode mode, boolean dryRun, ExportProgress progress,
                           Optional<ExportMeta> dumpMeta) {
        Objects.requireNonNull(mode, "mode");
        // Keys a dump withheld (they look like secrets) are unknown to it, not absent: the target keeps its own.
        Set<String> withheld = dumpMeta.map(meta -> Set.copyOf(meta.withheldKeys())).orElse(Set.of());
        CopyPlan plan = plan(source, target, mode, withheld);
        if (mode == CopyMode.NEW_ONLY && plan.targetEntries() > 0 && plan.method() != CopyPlan.Method.NOTHING) {
            throw new TargetNotEmptyException("the target " + target.location() + " already holds " + plan.targetEntries()
                    + (plan.targetEntries() == 1 ? " entry" : " entries") + " (" + plan.toChange() + " with a value other than the source's, "
                    + plan.targetOnly() + " not in the source); nothing was written. Use --merge to set the source's entries and keep "
                    + "the others, or --replace to make the target hold exactly the source's entries");
        }
        if (dryRun) {
            return new CopyResult(plan, true, plan.targetRevision(), Optional.empty(), dumpMeta);
        }
        long revision = plan.targetRevision();
        if (plan.method() == CopyPlan.Method.COPY_WITH_METADATA) {
            try (EntryCursor entries = source.open()) {
                List<HistoryRecord> history = source.history(entries.revision());
                if (!target.loadCopy(entries.revision(), counting(entries, progress), history.iterator())) {
                    throw new IllegalStateException(target.location() + " took a copy when asked and then refused one");
                }
                revision = entries.revision();
                progress.update(entries.size() < 0 ? plan.sourceEntries() : entries.size(), entries.size());
            }
        } else if (plan.method() == CopyPlan.Method.WRITES) {
            List<Change> batch = batch(source, target, mode, withheld);
            Commit commit = target.apply(batch);
            revision = commit.revision();
            progress.update(batch.size(), batch.size());
        }
        Verification verification = verify(source, target, mode, plan.method(), withheld);
        return new CopyResult(plan, false, revision, Optional.of(verification), dumpMeta);
    }

    /** Compares source and target key by key. */
    private static CopyPlan plan(Source source, ConfigStore target, CopyMode mode, Set<String> withheld) {
        long sourceRevision;
        long sourceEntries = 0;
        long targetEntries = 0;
        long targetRevision;
        long toAdd = 0;
        long toChange = 0;
        long unchanged = 0;
        long targetOnly = 0;
        long withheldKept = 0;
        try (EntryCursor from = source.open(); EntryCursor to = target.cursor()) {
            sourceRevision = from.revision();
            targetRevision = to.revision();
            Walk walk = new Walk(from, to);
            while (walk.advance()) {
                if (walk.source != null) {
                    sourceEntries++;
                }
                if (walk.target != null) {
                    targetEntries++;
                }
                if (walk.target == null) {
                    toAdd++;
                } else if (walk.source == null) {
                    if (withheld.contains(walk.target.key().path())) {
                        withheldKept++;
                    } else {
                        targetOnly++;
                    }
                } else if (walk.source.value().equals(walk.target.value())) {
                    unchanged++;
                } else {
                    toChange++;
                }
            }
        }
        CopyPlan.Method method;
        long history = 0;
        if (toAdd == 0 && toChange == 0 && (targetOnly == 0 || mode == CopyMode.MERGE)) {
            method = CopyPlan.Method.NOTHING;
        } else if (targetRevision == 0 && targetEntries == 0 && takesCopies(target)) {
            method = CopyPlan.Method.COPY_WITH_METADATA;
            history = source.history(sourceRevision).size();
        } else {
            method = CopyPlan.Method.WRITES;
        }
        return new CopyPlan(source.description(), sourceRevision, sourceEntries, target.location(), targetRevision, targetEntries,
                mode, method, toAdd, toChange, unchanged, targetOnly, withheldKept, history);
    }

    /** Whether a new store takes copies: loading an empty copy at revision 0 writes nothing and says so. */
    private static boolean takesCopies(ConfigStore target) {
        return target.loadCopy(0, Collections.emptyIterator(), Collections.emptyIterator());
    }

    /** The atomic batch of ordinary writes, each conditional on the target's key being as planned. */
    private static List<Change> batch(Source source, ConfigStore target, CopyMode mode, Set<String> withheld) {
        List<Change> unsets = new ArrayList<>();
        List<Change> sets = new ArrayList<>();
        try (EntryCursor from = source.open(); EntryCursor to = target.cursor()) {
            Walk walk = new Walk(from, to);
            while (walk.advance()) {
                if (walk.source == null) {
                    if (mode == CopyMode.REPLACE && !withheld.contains(walk.target.key().path())) {
                        unsets.add(Change.unset(walk.target.key()).ifRevision(walk.target.revision()));
                    }
                } else if (walk.target == null) {
                    sets.add(Change.set(walk.source.key(), walk.source.value()).ifRevision(Change.ABSENT));
                } else if (!walk.source.value().equals(walk.target.value())) {
                    sets.add(Change.set(walk.source.key(), walk.source.value()).ifRevision(walk.target.revision()));
                }
            }
        }
        // Removals first, so that a source key may replace a target key it lies under (or above).
        List<Change> batch = new ArrayList<>(unsets.size() + sets.size());
        batch.addAll(unsets);
        batch.addAll(sets);
        return batch;
    }

    /** Reads both sides back and compares them. */
    private static Verification verify(Source source, ConfigStore target, CopyMode mode, CopyPlan.Method method,
                                       Set<String> withheld) {
        boolean metadata = method == CopyPlan.Method.COPY_WITH_METADATA;
        boolean targetExtrasAllowed = mode == CopyMode.MERGE;
        List<String> differences = new ArrayList<>();
        long more = 0;
        long compared = 0;
        try (EntryCursor from = source.open(); EntryCursor to = target.cursor()) {
            Walk walk = new Walk(from, to);
            while (walk.advance()) {
                String difference = null;
                if (walk.source != null) {
                    compared++;
                }
                if (walk.target == null) {
                    difference = walk.source.key() + ": missing in the target";
                } else if (walk.source == null) {
                    if (!targetExtrasAllowed && !withheld.contains(walk.target.key().path())) {
                        difference = walk.target.key() + ": only in the target";
                    }
                } else if (!walk.source.value().equals(walk.target.value())) {
                    difference = walk.source.key() + ": source holds " + shown(walk.source) + ", target holds " + shown(walk.target);
                } else if (metadata && !sameMetadata(walk.source, walk.target)) {
                    difference = walk.source.key() + ": source was revision " + walk.source.revision() + " at " + walk.source.updatedAt()
                            + " by " + walk.source.updatedBy() + ", target is revision " + walk.target.revision() + " at "
                            + walk.target.updatedAt() + " by " + walk.target.updatedBy();
                }
                if (difference != null) {
                    if (differences.size() < DIFFERENCES_LISTED) {
                        differences.add(difference);
                    } else {
                        more++;
                    }
                }
            }
        }
        String scope = (metadata ? "keys, values, types, revisions, times (to the microsecond) and authors" : "keys, values and types")
                + (targetExtrasAllowed ? "; keys only in the target are kept by --merge" : "")
                + (withheld.isEmpty() ? "" : "; the target's own values of the keys the dump withheld are kept");
        return new Verification(differences.isEmpty(), compared, scope, differences, more);
    }

    /** Same revision, author and time, to the microsecond (the finest every store keeps, as dumps show it). */
    private static boolean sameMetadata(Entry a, Entry b) {
        return a.revision() == b.revision() && a.updatedBy().equals(b.updatedBy())
                && a.updatedAt().truncatedTo(ChronoUnit.MICROS).equals(b.updatedAt().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * An entry's value as a difference shows it: cut short, and {@code <redacted>} for a key that
     * {@linkplain SecretPolicy#looksSecret looks like a secret}, as every command prints such values.
     */
    private static String shown(Entry entry) {
        if (SecretPolicy.looksSecret(entry.key())) {
            return "<redacted> (" + entry.value().type().label() + ")";
        }
        String json = JsonValues.write(entry.value(), true);
        if (json.length() > 60) {
            json = json.substring(0, 57) + "...";
        }
        return json + " (" + entry.value().type().label() + ")";
    }

    private static Iterator<Entry> counting(Iterator<Entry> entries, ExportProgress progress) {
        return new Iterator<>() {
            private long count;

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Entry next() {
                Entry entry = entries.next();
                if (++count % Exporter.PROGRESS_EVERY == 0) {
                    progress.update(count, -1);
                }
                return entry;
            }
        };
    }

    /** Walks two key-ordered cursors side by side: each step has the source's entry, the target's, or both for one key. */
    private static final class Walk {
        private final Iterator<Entry> from;
        private final Iterator<Entry> to;
        private Entry nextSource;
        private Entry nextTarget;
        Entry source;
        Entry target;

        Walk(Iterator<Entry> from, Iterator<Entry> to) {
            this.from = from;
            this.to = to;
            this.nextSource = from.hasNext() ? from.next() : null;
            this.nextTarget = to.hasNext() ? to.next() : null;
        }

        boolean advance() {
            if (nextSource == null && nextTarget == null) {
                return false;
            }
            int order = nextSource == null ? 1 : nextTarget == null ? -1 : nextSource.key().compareTo(nextTarget.key());
            source = order <= 0 ? nextSource : null;
            target = order >= 0 ? nextTarget : null;
            if (source != null) {
                nextSource = from.hasNext() ? from.next() : null;
            }
            if (target != null) {
                nextTarget = to.hasNext() ? to.next() : null;
            }
            return true;
        }
    }

}
