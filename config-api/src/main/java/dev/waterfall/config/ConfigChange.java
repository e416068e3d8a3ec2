package dev.waterfall.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One commit's changes to the resolved keys under a watched prefix, as a
 * {@linkplain Waterfall#watch(String, java.util.function.Consumer) watch} reports it.
 *
 * @param prefix   the prefix watched ({@code ""} for every key)
 * @param revision the store revision the change was seen at (a change of the system file or the
 *                 defaults file keeps the store's revision)
 * @param changes  each key whose resolved value or origin changed, sorted by key; never empty
 * @param current  every resolved key under the prefix after the change, sorted by key; a
 *                 {@code ${secret:NAME}} value is left as that reference
 */
public record ConfigChange(String prefix, long revision, List<KeyChange> changes, List<Resolved> current) {
    public ConfigChange {
        Objects.requireNonNull(prefix, "prefix");
        changes = List.copyOf(changes);
        current = List.copyOf(current);
    }

    /**
     * One key's change: the resolved value (with its origin) before and after; empty where the key
     * was absent from every layer or became so.
     *
     * @param key    the key
     * @param before the value and origin before, empty if no layer had the key
     * @param after  the value and origin after, empty if no layer has the key any more
     */
    public record KeyChange(Key key, Optional<Resolved> before, Optional<Resolved> after) {
        public KeyChange {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }

        /** {@code server.port: 8080 (store …:3) -> 9090 (env PIPELINE_SERVER_PORT)}; a key that looks secret shows {@code <redacted>}. */
        @Override
        public String toString() {
            return key + ": " + describe(before) + " -> " + describe(after);
        }

        private String describe(Optional<Resolved> side) {
            return side.map(r -> (SecretPolicy.looksSecret(key) && SecretPolicy.reference(r.value()).isEmpty() ? "<redacted>" : r.value().toJson())
                    + " (" + r.origin() + ")").orElse("(absent)");
        }
    }
}
