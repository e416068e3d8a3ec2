package dev.waterfall.config;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A kept earlier version of a store.
 *
 * @param name      the backup's name, unique within the store (its file name for file stores)
 * @param location  where it is, to print
 * @param takenAt   when the version it holds was replaced
 * @param bytes     its size
 * @param problem   why it cannot be restored (it does not parse), or empty when it is valid
 */
public record Backup(String name, String location, Instant takenAt, long bytes, Optional<String> problem) {
    public Backup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(problem, "problem");
    }

    /** Whether the backup parses and can be restored. */
    public boolean isValid() {
        return problem.isEmpty();
    }
}
