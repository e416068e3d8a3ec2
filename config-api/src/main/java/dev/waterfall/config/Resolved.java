package dev.waterfall.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A key's value as the waterfall resolved it, and where it came from.
 *
 * @param key    the key
 * @param value  the winning value
 * @param origin the layer and source that supplied it
 * @param entry  the store's entry (revision, who and when) when the store supplied the value
 * @param secret the secret the value is, when the layer held a {@code ${secret:NAME}} reference to it
 *               (see {@link SecretSource}), or held a reference that brought a secret into it: print it with care
 * @param expansion when the layer held a string with references ({@code ${db.host}}, docs/references.md):
 *                  the text as stored, each reference with its value and origin, and the problem that
 *                  stopped the expansion, if one did (then {@code value} is the text as stored)
 */
public record Resolved(Key key, Value value, Origin origin, Optional<Entry> entry, Optional<String> secret, Optional<Expansion> expansion) {
    public Resolved {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(expansion, "expansion");
    }

    /** A value without references. */
    public Resolved(Key key, Value value, Origin origin, Optional<Entry> entry, Optional<String> secret) {
        this(key, value, origin, entry, secret, Optional.empty());
    }

    /** A value that is no secret and has no references. */
    public Resolved(Key key, Value value, Origin origin, Optional<Entry> entry) {
        this(key, value, origin, entry, Optional.empty(), Optional.empty());
    }

    /** The value as its layer holds it: the template for a value with references, else {@link #value()}. */
    public Value raw() {
        return expansion.map(Expansion::template).orElse(value);
    }

    /**
     * The keys this value was resolved from besides its own, at any depth of its reference chain:
     * when one of them changes, so may this value (what a watch of this key follows).
     */
    public java.util.Set<Key> dependsOn() {
        return expansion.map(Expansion::keys).orElse(java.util.Set.of());
    }

    /**
     * The value as text: a string as itself, anything else as JSON.
     */
    public String asText() {
        return value instanceof StringValue string ? string.value() : value.toJson();
    }

    /**
     * The value as a {@code long}.
     *
     * @throws InvalidValueException naming the key and origin if it is not an integer that fits
     */
    public long asLong() {
        if (value instanceof NumberValue number) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                throw wrongType("an integer", e);
            }
        }
        if (value instanceof StringValue string) {
            try {
                return Long.parseLong(string.value().strip());
            } catch (NumberFormatException e) {
                throw wrongType("an integer", e);
            }
        }
        throw wrongType("an integer", null);
    }

    /**
     * The value as a {@code boolean}; the strings {@code true} and {@code false} count.
     *
     * @throws InvalidValueException naming the key and origin if it is not a boolean
     */
    public boolean asBoolean() {
        if (value instanceof BooleanValue bool) {
            return bool.value();
        }
        if (value instanceof StringValue string) {
            String text = string.value().strip();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw wrongType("a boolean", null);
    }

    private InvalidValueException wrongType(String wanted, Throwable cause) {
        return new InvalidValueException(key + " is " + value.toJson() + " (" + value.type().label() + ", from " + origin
                + "), not " + wanted, cause);
    }
}
