package dev.waterfall.export;

/**
 * Receives the progress of an export, import or migration, from the thread doing the work: about
 * every 10,000 rows and once at the end. The library never prints; the command-line tool shows
 * this on a terminal. Must return quickly.
 */
@FunctionalInterface
public interface ExportProgress {

    /** Ignores progress. */
    ExportProgress NONE = (rowsDone, rowsTotal) -> { };

    /**
     * @param rowsDone  rows written (or read) so far
     * @param rowsTotal rows in all, or -1 if the store cannot tell before they are all read
     */
    void update(long rowsDone, long rowsTotal);
}
