package dev.waterfall.config;

import java.util.List;
import java.util.Optional;

/**
 * The earlier versions a store keeps, and the way back to one of them. File stores keep one per
 * write, with retention; see {@link ConfigStore#backups()}.
 */
public interface Backups {

    /** The kept versions, newest first, each checked for validity. */
    List<Backup> list();

    /**
     * Makes a kept version current again: the named one, or the newest valid one when
     * {@code name} is empty. The current content is kept first: as a new backup when it is
     * valid, or moved aside (its new name is in the result) when it is broken. The restore is a
     * write like any other: locked, atomic, recorded in the history.
     *
     * @throws StoreBrokenException if the chosen backup is broken, or no valid backup exists
     * @throws InvalidValueException if {@code name} names no kept backup (the store is left as it is)
     */
    Restored restore(Optional<String> name);

    /**
     * The outcome of a restore.
     *
     * @param from         the backup that is now current
     * @param movedAsideTo where the broken current file was moved, if it was broken
     * @param revision     the store revision after the restore
     * @param takenBack    the recorded changes the restore took back (newer than the restored
     *                     version), oldest first; empty when it took back none (a restore of the
     *                     newest backup after a hand edit broke the file takes back only that edit)
     */
    record Restored(Backup from, Optional<String> movedAsideTo, long revision, List<HistoryRecord> takenBack) {
        public Restored {
            takenBack = List.copyOf(takenBack);
        }

        /** A restore that took back no recorded change. */
        public Restored(Backup from, Optional<String> movedAsideTo, long revision) {
            this(from, movedAsideTo, revision, List.of());
        }
    }
}
