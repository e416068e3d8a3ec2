package dev.waterfall.config;

import java.util.List;

/**
 * What an applied batch did.
 *
 * @param revision the store revision after the batch (unchanged when the batch changed nothing)
 * @param written  the entries the batch set, with their new revision
 * @param removed  the keys the batch removed (absent keys are not listed)
 */
public record Commit(long revision, List<Entry> written, List<Key> removed) {
    public Commit {
        written = List.copyOf(written);
        removed = List.copyOf(removed);
    }

    /** Whether the batch changed anything. */
    public boolean changed() {
        return !written.isEmpty() || !removed.isEmpty();
    }
}
