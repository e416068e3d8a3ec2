package dev.waterfall.config;

import java.util.Objects;

/**
 * One finding of {@code waterfall doctor}: a broken file, a loose file mode, a stale temp file, an
 * environment variable that matches no key.
 *
 * @param severity how serious
 * @param subject  the file, key or variable concerned
 * @param message  what is wrong and what to do
 */
public record Diagnostic(Severity severity, String subject, String message) {

    /** How serious a finding is. */
    public enum Severity {
        /** Worth knowing; nothing to do. */
        INFO,
        /** Works, but something should be fixed, such as a file mode others can read. */
        WARNING,
        /** Something does not work until it is fixed, such as a file that does not parse. */
        ERROR
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + subject + ": " + message;
    }
}
