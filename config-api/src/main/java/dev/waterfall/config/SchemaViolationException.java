package dev.waterfall.config;

import java.util.List;

/**
 * A write through {@link Waterfall} that the settings schema rejects; nothing was written. A write
 * through a bare {@link ConfigStore} is not checked: the schema is the application's, not the store's.
 */
public final class SchemaViolationException extends InvalidValueException {
    private static final long serialVersionUID = 1L;

    private final transient List<SchemaViolation> violations;

    public SchemaViolationException(Key key, Value value, List<SchemaViolation> violations) {
        super(message(key, value, violations));
        this.violations = List.copyOf(violations);
    }

    private static String message(Key key, Value value, List<SchemaViolation> violations) {
        String shown = SecretPolicy.looksSecret(key) ? "<redacted>" : value.toJson();
        StringBuilder text = new StringBuilder("refusing to set " + key + " to " + shown + ": the settings schema rejects it");
        for (SchemaViolation violation : violations) {
            text.append("; ").append(violation);
        }
        return text.append(" (fix the value, or the schema if the value is right)").toString();
    }

    /** The rules broken. */
    public List<SchemaViolation> violations() {
        return violations;
    }
}
