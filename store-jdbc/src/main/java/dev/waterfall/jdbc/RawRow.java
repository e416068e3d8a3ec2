package dev.waterfall.jdbc;

import dev.waterfall.config.rows.RawEntryBytes;

/**
 * One row of the entries table as a dialect reads it for {@link SqlStore#rawCursor(boolean)}, filled again
 * for each row ({@link RawRows#next(RawRow)}): the columns put into the entry's view as they are,
 * not yet checked, and the {@code type} column. The store checks the key and the value and sets
 * the type. Not thread-safe.
 */
public final class RawRow {

    private final RawEntryBytes entry = new RawEntryBytes();
    private String typeLabel;

    /**
     * The view the dialect fills: the {@code key} and {@code value} columns' bytes in UTF-8, the
     * {@code updated_at} column as canonical text ({@link dev.waterfall.config.rows.CanonicalText#instant(long, int)}),
     * the revision and the author's columns. The type is the store's to set.
     */
    public RawEntryBytes entry() {
        return entry;
    }

    /** The {@code type} column, {@code null} when JSON alone says the type (the usual case). */
    public String typeLabel() {
        return typeLabel;
    }

    /** Sets the {@code type} column read for the current row. */
    public void typeLabel(String typeLabel) {
        this.typeLabel = typeLabel;
    }
}
