package dev.waterfall.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a string with references ({@code "jdbc:postgresql://${db.host}:${db.port}/app"}) became its
 * value: the text as stored, every reference met on the way with its value and origin, and the
 * problem that stopped it, if one did. The rules are in docs/references.md.
 *
 * @param template   the value as its layer holds it, references unexpanded
 * @param references every reference, in the order met, a reference inside a referenced value
 *                   right after it with a greater {@link Reference#depth()}
 * @param problem    why the value could not be expanded (a cycle, a key with no value and no
 *                   default, a chain too deep, a malformed reference), naming the chain; empty when it was
 */
public record Expansion(Value template, List<Reference> references, Optional<String> problem) {
    public Expansion {
        Objects.requireNonNull(template, "template");
        references = List.copyOf(references);
        Objects.requireNonNull(problem, "problem");
    }

    /** The keys referred to, at any depth, in the order met. */
    public Set<Key> keys() {
        Set<Key> keys = new LinkedHashSet<>();
        for (Reference reference : references) {
            reference.key().ifPresent(keys::add);
        }
        return java.util.Collections.unmodifiableSet(keys);
    }

    /**
     * One {@code ${...}} met while expanding a value.
     *
     * @param expression the reference as written, e.g. {@code ${db.port:5432}}
     * @param depth      1 for a reference in the value itself, 2 for one inside the value it refers to, ...
     * @param key        the key referred to; empty for {@code ${env:NAME}} and {@code ${secret:NAME}}
     * @param value      the text put in its place; empty when it was not expanded (a secret in a listing,
     *                   or the reference the expansion stopped at)
     * @param from       where the text came from: a key's origin ({@code store /…/config.json:3}),
     *                   {@code env NAME}, {@code the default in the reference}, {@code secret NAME}
     * @param secret     whether the text is a secret's, or a key's that looks like a secret's: never shown
     */
    public record Reference(String expression, int depth, Optional<Key> key, Optional<String> value, String from, boolean secret) {
        public Reference {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(from, "from");
        }
    }
}
