package dev.waterfall.export;

/**
 * What an import or migration does with a target store that already holds entries.
 */
public enum CopyMode {
    /**
     * Refuse a target that holds entries other than the source's (a target already identical to
     * the source is fine: there is nothing to do, so running a migration twice is harmless).
     */
    NEW_ONLY,
    /** Set every source entry in the target and keep the target's other keys. */
    MERGE,
    /** Make the target hold exactly the source's entries: set them, remove every other key. */
    REPLACE
}
