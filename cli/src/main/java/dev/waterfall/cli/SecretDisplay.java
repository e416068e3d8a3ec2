package dev.waterfall.cli;

import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Value;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Optional;

/**
 * The one rule by which the command line shows or hides values: the values of keys that
 * {@linkplain SecretPolicy#looksSecret look like secrets} print as {@code <redacted>} (in JSON:
 * {@code "redacted": true} and the type, no value) wherever a command prints values ({@code list},
 * {@code explain}, {@code history}, {@code watch}, {@code undo}, {@code set --json}), since what a
 * command prints ends up in terminals, logs and bug reports. Environment values are shown by the
 * same rule, by the key they override; a {@code doctor} finding never shows a variable's value; an
 * error message never shows a text that {@link WaterfallCli#sensitive registered} as secret.
 *
 * <p>{@code get KEY} is the one command that prints a secret's value: asking for one key by name is
 * how a script reads it. As a mixin, this class is the {@code --show-secrets} option of the
 * commands that print many values, which switches the rule off for them.
 */
final class SecretDisplay {

    /** What a hidden value prints as. */
    static final String REDACTED = "<redacted>";

    @Option(names = "--show-secrets", description = "Print the values of keys that look like secrets too, instead of <redacted>.")
    boolean show;

    /** Whether the value of {@code key} prints as {@code <redacted>}. */
    boolean redacts(Key key) {
        return !show && SecretPolicy.looksSecret(key);
    }

    /** Whether the value of {@code key} is hidden where there is no {@code --show-secrets}. */
    static boolean secret(Key key) {
        return SecretPolicy.looksSecret(key);
    }

    /** A value as a line shows it: its JSON, or {@code <redacted>}. */
    static String shown(Value value, boolean redacted) {
        return redacted ? REDACTED : value.toJson();
    }

    /** As {@link #shown(Value, boolean)}, or {@code absent} when there is no value. */
    static String shown(Optional<Value> value, boolean redacted, String absent) {
        return value.map(present -> shown(present, redacted)).orElse(absent);
    }

    /**
     * {@code name: {"value": ..., "type": ...}}, or {@code name: {"redacted": true, "type": ...}}
     * when redacted, or {@code name: null} when absent.
     */
    static void typedValueField(JsonOutput output, String name, Optional<Value> value, boolean redacted) throws IOException {
        if (value.isEmpty() || !redacted) {
            output.typedValueField(name, value);
            return;
        }
        output.generator().writeObjectFieldStart(name);
        output.field("redacted", true);
        output.field("type", value.get().type().label());
        output.endObject();
    }

    /** {@code "value": ..., "type": ...}, or {@code "redacted": true, "type": ...}. */
    static void valueFields(JsonOutput output, Value value, boolean redacted) throws IOException {
        if (redacted) {
            output.field("redacted", true);
            output.field("type", value.type().label());
        } else {
            output.valueFields(value);
        }
    }
}
