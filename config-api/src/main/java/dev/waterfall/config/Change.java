package dev.waterfall.config;

import java.util.Objects;

/**
 * One change in a batch given to {@link ConfigStore#apply}: set a key or unset it, optionally only
 * if the key is still at an expected revision.
 */
public sealed interface Change permits Change.Set, Change.Unset {

    /** Expected revision meaning "whatever it is now": no compare-and-set. */
    long ANY = -1;
    /** Expected revision meaning "the key is absent". */
    long ABSENT = 0;

    /** The key this change touches. */
    Key key();

    /** The revision the key must be at for the batch to apply, or {@link #ANY}. */
    long expectedRevision();

    /** Sets {@code key} to {@code value}. */
    static Set set(Key key, Value value) {
        return new Set(key, value, ANY);
    }

    /** Unsets {@code key}; unsetting an absent key changes nothing. */
    static Unset unset(Key key) {
        return new Unset(key, ANY);
    }

    /**
     * Sets a key to a leaf value.
     *
     * @param expectedRevision {@link #ANY}, {@link #ABSENT}, or the revision the key must still have
     */
    record Set(Key key, Value value, long expectedRevision) implements Change {
        public Set {
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
        public Set ifRevision(long revision) {
            return new Set(key, value, revision);
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
