package dev.waterfall.config.rows;

/**
 * A capability of stores that keep their entries as text (the SQL stores keep canonical JSON, a
 * type label, a time and the author's columns): they can hand the entries out as that text, which
 * spares a tool that only copies text, such as an export, decoding every value and encoding it
 * again. A tool checks {@code store instanceof RawEntrySource} and otherwise uses
 * {@link dev.waterfall.config.ConfigStore#cursor()}; both give the same entries.
 *
 * <p>Implementations are thread-safe, as the store is.
 */
public interface RawEntrySource {

    /**
     * Every entry at one revision, in key order, as text; what {@link dev.waterfall.config.ConfigStore#cursor()}
     * gives, field for field. Close the cursor when done.
     *
     * @param counted whether the cursor's {@link RawEntryCursor#size()} must say how many entries
     *                there are, which costs the database a count of them before the first one (for
     *                a million rows, tens of milliseconds of the server's time); if not, it is -1
     *
     * @throws dev.waterfall.config.StoreBrokenException      if the store's content cannot be read
     * @throws dev.waterfall.config.StoreUnavailableException if the store cannot be reached
     */
    RawEntryCursor rawCursor(boolean counted);
}
