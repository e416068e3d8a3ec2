package dev.waterfall.cli;

import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code waterfall list [PREFIX]}: every key the store, the system file or the defaults know,
 * resolved, sorted, one per line as {@code key = <JSON value>  # origin}. The values of keys that
 * {@linkplain SecretPolicy#looksSecret look like secrets} are redacted unless {@code --show-secrets}
 * (docs/secrets.md): a listing ends up in terminals, logs and bug reports.
 */
@Command(name = "list",
        description = {
            "Lists every key that the store, the system file or the defaults hold (or those at and under PREFIX), "
                    + "resolved through the waterfall, sorted: one line per key, key = JSON value, and which layer won.",
            "The values of keys that look like secrets (password, token, api_key, ...) show as <redacted>; "
                    + "`waterfall get KEY` prints one, --show-secrets all.",
        })
final class ListCommand extends WaterfallCommand {

    /** Origin comments start at this column at most, so one long key does not push every line right. */
    private static final int MAX_ALIGN = 48;

    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "Only keys at or under this key, e.g. server.")
    String prefix;

    @Mixin
    SecretDisplay secretDisplay;

    @Override
    public Integer call() {
        Key under = prefix == null ? null : Key.of(prefix);
        try (Waterfall waterfall = open()) {
            List<Resolved> keys = waterfall.list().stream()
                    .filter(resolved -> under == null || resolved.key().isWithin(under))
                    .toList();
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startArray();
                    for (Resolved resolved : keys) {
                        output.resolved(resolved, redacted(resolved));
                    }
                    output.endArray();
                });
                return ExitCodes.OK;
            }
            int width = 0;
            for (Resolved resolved : keys) {
                width = Math.max(width, assignment(resolved, redacted(resolved)).length());
            }
            width = Math.min(width, MAX_ALIGN);
            for (Resolved resolved : keys) {
                String line = assignment(resolved, redacted(resolved));
                out().println(line + " ".repeat(Math.max(1, width - line.length() + 2)) + "# " + origin(resolved.origin()));
            }
            out().flush();
            for (Resolved resolved : keys) {
                resolved.expansion().flatMap(dev.waterfall.config.Expansion::problem).ifPresent(problem -> warn(
                        "cannot expand " + resolved.key() + " (" + resolved.origin() + "), listed as written: " + problem));
            }
            if (keys.isEmpty()) {
                note(under == null
                        ? "(no keys yet in " + waterfall.store().location() + "; `waterfall set KEY VALUE` adds one)"
                        : "(no keys at or under " + under + ")");
            }
        }
        return ExitCodes.OK;
    }

    private boolean redacted(Resolved resolved) {
        return secretDisplay.redacts(resolved.key());
    }

    private static String assignment(Resolved resolved, boolean redacted) {
        return resolved.key().path() + " = " + SecretDisplay.shown(resolved.value(), redacted);
    }

    /** {@code store}, {@code env WATERFALL_PORT}, {@code defaults}: the layer, and the variable for env. */
    private static String origin(Origin origin) {
        String layer = origin.layer() == Layer.ENV ? origin.layer().label() + " " + origin.source() : origin.layer().label();
        return origin.profile().isEmpty() ? layer : layer + " %" + origin.profile();
    }
}
