package dev.waterfall.config;

import java.util.Objects;

/**
 * One change in a batch given to {@link ConfigStore#apply}: set a key or unset it, optionally only
 * if the key is still at an expected revision.
 */
public sealed interface Change permits Change.Put, Change.Unset {

    /** Expected revision meaning "whatever it is now": no compare-and-set. */
    long ANY = -1;
    /** Expected revision meaning "the key is absent". */
    long ABSENT = 0;

    /** The key this change touches. */
    Key key();

    /** The revision the key must be at for the batch to apply, or {@link #ANY}. */
    long expectedRevision();

    /** Sets {@code key} to {@code value}. */
    static Put set(Key key, Value value) {
        return new Put(key, value, ANY);
    }

    /** Unsets {@code key}; unsetting an absent key changes nothing. */
    static Unset unset(Key key) {
        return new Unset(key, ANY);
    }

    /**
     * Sets a key to a leaf value ({@link #set}). Named {@code Put}, not {@code Set}, so that it does
     * not shadow {@code java.util.Set} where it is imported.
     *
     * @param expectedRevision {@link #ANY}, {@link #ABSENT}, or the revision the key must still have
     */
    record Put(Key key, Value value, long expectedRevision) implements Change {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (value instanceof TableValue) {
                throw new InvalidValueException("cannot set " + key + " to a table: keys name leaves, so set "
                        + key + ".<name> for each member instead (a table may appear inside an array)");
            }
            if (expectedRevision < ANY) {
                throw new IllegalArgumentException("expected revision " + expectedRevision + " is negative");
            }
        }

        /** This change, applied only if the key is at {@code revision} ({@link #ABSENT} for absent). */
        public Put ifRevision(long revision) {
            return new Put(key, value, revision);
        }
    }

    /** Removes a key, so a lower layer's value shows through again. */
    record Unset(Key key, long expectedRevision) implements Change {
        public Unset {
            Objects.requireNonNull(key, "key");
            if (expectedRevision < ANY) {
                throw new IllegalArgumentException("expected revision " + expectedRevision + " is negative");
            }
        }

        /** This change, applied only if the key is at {@code revision}. */
        public Unset ifRevision(long revision) {
            return new Unset(key, revision);
        }
    }
}
