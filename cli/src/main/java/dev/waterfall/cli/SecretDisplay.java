package dev.waterfall.cli;

import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Value;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * The {@code --show-secrets} option of the commands that print stored values ({@code list},
 * {@code history}, {@code watch}), and the rule it switches off: the values of keys that
 * {@linkplain SecretPolicy#looksSecret look like secrets} print as {@code <redacted>} (docs/secrets.md),
 * since what a command prints ends up in terminals, logs and bug reports.
 */
final class SecretDisplay {

    @Option(names = "--show-secrets", description = "Print the values of keys that look like secrets too, instead of <redacted>.")
    boolean show;

    /** Whether the value of {@code key} prints as {@code <redacted>}. */
    boolean redacts(Key key) {
        return !show && SecretPolicy.looksSecret(key);
    }

    /** A value as a line shows it: its JSON, or {@code <redacted>}. */
    static String shown(Value value, boolean redacted) {
        return redacted ? "<redacted>" : value.toJson();
    }

    /** As {@link #shown(Value, boolean)}, or {@code absent} when there is no value. */
    static String shown(Optional<Value> value, boolean redacted, String absent) {
        return value.map(present -> shown(present, redacted)).orElse(absent);
    }
}
