package dev.waterfall.config;

/**
 * A write that would make one key both a value and a table of other keys, e.g. setting
 * {@code plant.name} while {@code plant} holds a number. Keys name leaves in every store, which is
 * what lets files nest them and lets stores migrate into each other.
 */
public class KeyConflictException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final Key key;
    private final Key existing;

    /**
     * @param key      the key that was being written
     * @param existing the stored key it collides with: an ancestor holding a value, or a key under it
     */
    public KeyConflictException(Key key, Key existing) {
        super(existing.isAncestorOf(key)
                ? "cannot set " + key + ": " + existing + " holds a value, so it cannot also be a table; unset " + existing + " first or choose another key"
                : "cannot set " + key + ": it is a table holding " + existing + (existing.equals(key) ? "" : " and maybe more")
                        + "; keys name leaves, so unset the keys under " + key + " first or set them one by one");
        this.key = key;
        this.existing = existing;
    }

    /** The key that was being written. */
    public Key key() {
        return key;
    }

    /** The stored key it collides with. */
    public Key existing() {
        return existing;
    }
}
