package dev.waterfall.export;

import java.util.List;
import java.util.Objects;

/**
 * The check after an import or migration: source and target read back and compared entry by entry.
 *
 * @param identical       whether no difference was found
 * @param compared        how many source entries were compared
 * @param scope           what was compared, in words: e.g. "keys, values, types, revisions, times and authors"
 * @param differences     the first differences found, one line each, naming the key
 * @param moreDifferences differences found beyond those listed
 */
public record Verification(boolean identical, long compared, String scope, List<String> differences, long moreDifferences) {
    public Verification {
        Objects.requireNonNull(scope, "scope");
        differences = List.copyOf(differences);
    }

    /** One line: {@code verified: ...} or {@code MISMATCH: ...}. */
    public String summary() {
        if (identical) {
            return "verified: source and target hold the same " + compared + (compared == 1 ? " entry" : " entries") + " (" + scope + ")";
        }
        long total = differences.size() + moreDifferences;
        return "MISMATCH: " + total + " difference" + (total == 1 ? "" : "s") + " between source and target (" + scope + ")";
    }
}
