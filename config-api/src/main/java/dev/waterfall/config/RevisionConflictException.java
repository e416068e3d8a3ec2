package dev.waterfall.config;

/**
 * A lost compare-and-set: the key's revision was not the one expected, because another writer
 * changed it in between. Re-read and try again. Nothing of the batch was applied.
 */
public class RevisionConflictException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final Key key;
    private final long expected;
    private final long actual;

    /**
     * @param key      the key whose compare-and-set lost
     * @param expected the revision the caller expected ({@link Change#ABSENT} for "not present")
     * @param actual   the key's revision when the write was tried ({@link Change#ABSENT} if absent)
     */
    public RevisionConflictException(Key key, long expected, long actual) {
        super("conflict on " + key + ": expected revision " + describe(expected) + " but it is at "
                + describe(actual) + "; another writer changed it, re-read and retry");
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    private static String describe(long revision) {
        return revision == Change.ABSENT ? "0 (absent)" : Long.toString(revision);
    }

    /** The key whose compare-and-set lost. */
    public Key key() {
        return key;
    }

    /** The revision the caller expected ({@link Change#ABSENT} for "not present"). */
    public long expected() {
        return expected;
    }

    /** The key's revision when the write was tried ({@link Change#ABSENT} if absent). */
    public long actual() {
        return actual;
    }
}
