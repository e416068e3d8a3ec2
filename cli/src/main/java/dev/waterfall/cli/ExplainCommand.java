package dev.waterfall.cli;

import dev.waterfall.config.Explanation;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code waterfall explain KEY}: every layer's value for a key, which one wins, and the exact
 * environment variable that would override it.
 */
@Command(name = "explain",
        description = {
            "Shows every layer's value for KEY, highest first (env, store, system file, defaults), marks the one "
                    + "that wins with *, and names the exact environment variable that overrides KEY.",
            "The values of keys that look like secrets (password, token, api_key, ...) show as <redacted>, in every "
                    + "layer, unless --show-secrets.",
            "When the variable also overrides other keys (WATERFALL_A_B_C is the variable of a.b_c and of a_b.c), "
                    + "it says which: the variable overrides every key it names.",
            "Exits with 1 when no layer has the key (after printing the explanation).",
        })
final class ExplainCommand extends WaterfallCommand {

    private static final int MAX_VALUE_WIDTH = 40;

    @Parameters(paramLabel = "KEY", description = "A dotted key, e.g. server.port.")
    String key;

    @Mixin
    SecretDisplay secretDisplay;

    /** One printed row: the layer, its value as text, and where. */
    private record Row(boolean wins, String layer, String value, String source) {
    }

    @Override
    public Integer call() {
        Key parsed = Key.of(key);
        boolean redacted = secretDisplay.redacts(parsed);
        try (Waterfall waterfall = open()) {
            Explanation explanation = waterfall.explain(parsed);
            Optional<Resolved> winner = explanation.winner();
            List<Key> alsoOverridden = waterfall.keysSharingVariable(parsed);
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startObject();
                    output.field("key", parsed.path());
                    if (explanation.envVariable().isEmpty()) {
                        output.nullField("envVariable"); // a key with a quoted segment has none
                    } else {
                        output.field("envVariable", explanation.envVariable());
                    }
                    output.startArray("envVariableAlsoOverrides");
                    for (Key other : alsoOverridden) {
                        output.generator().writeString(other.path());
                    }
                    output.endArray();
                    if (winner.isPresent()) {
                        output.generator().writeFieldName("winner");
                        output.resolved(winner.get(), redacted);
                    } else {
                        output.nullField("winner");
                    }
                    output.startArray("layers");
                    for (Explanation.LayerValue layer : explanation.layers()) {
                        output.startObject();
                        output.field("layer", layer.layer().label());
                        output.field("source", layer.source());
                        output.field("configured", layer.configured());
                        SecretDisplay.typedValueField(output, "value", valueOf(layer, winner), redacted);
                        output.field("line", layer.line());
                        output.field("wins", wins(layer, winner));
                        output.endObject();
                    }
                    output.endArray();
                    output.endObject();
                });
            } else {
                printText(parsed, explanation, winner, redacted, alsoOverridden);
                SchemaCommand.describe(waterfall, parsed).ifPresent(text -> {
                    text.lines().forEach(line -> out().println("schema    " + line));
                    out().flush();
                });
            }
            if (winner.isEmpty()) {
                throw new NotFoundException(parsed + " has no value in any layer; set it with `waterfall set " + ShellWords.of(parsed)
                        + " VALUE`" + (explanation.envVariable().isEmpty() ? "" : " or export " + explanation.envVariable()));
            }
        }
        return ExitCodes.OK;
    }

    private void printText(Key key, Explanation explanation, Optional<Resolved> winner, boolean redacted, List<Key> alsoOverridden) {
        out().println(winner.map(resolved -> key + " = " + SecretDisplay.shown(resolved.value(), redacted) + "  from " + resolved.origin())
                .orElse(key + " has no value in any layer"));
        List<Row> rows = new ArrayList<>();
        for (Explanation.LayerValue layer : explanation.layers()) {
            Optional<Value> value = valueOf(layer, winner);
            String source;
            if (!layer.configured() && layer.layer() == Layer.ENV) {
                source = "(no variable: a key with a quoted segment has none)";
            } else if (!layer.configured()) {
                source = layer.layer() == Layer.SYSTEM ? "(no system file given: --system-file FILE)"
                        : "(no defaults given: --defaults FILE)";
            } else if (layer.layer() == Layer.ENV) {
                source = layer.source() + (value.isPresent() ? "" : " (not set)");
            } else {
                source = layer.source() + (layer.line() > 0 ? ":" + layer.line() : "");
            }
            rows.add(new Row(wins(layer, winner), layer.layer().label(), SecretDisplay.shown(value, redacted, "-"), source));
        }
        int width = Math.min(MAX_VALUE_WIDTH, rows.stream().mapToInt(row -> row.value().length()).max().orElse(1));
        for (Row row : rows) {
            out().println((row.wins() ? "* " : "  ") + pad(row.layer(), 10) + pad(row.value(), width + 2) + row.source());
        }
        if (!alsoOverridden.isEmpty()) {
            out().println("note: " + explanation.envVariable() + " also overrides " + String.join(", ", alsoOverridden.stream().map(Key::path)
                    .toList()) + ": a variable overrides every key whose variable it is, so setting it changes them all");
        }
        out().flush();
    }

    /** The layer's value; for env the value as the waterfall reads it (a JSON literal or the text). */
    private static Optional<Value> valueOf(Explanation.LayerValue layer, Optional<Resolved> winner) {
        if (layer.layer() == Layer.ENV && layer.value().isPresent() && winner.isPresent()
                && winner.get().origin().layer() == Layer.ENV) {
            return Optional.of(winner.get().value());
        }
        return layer.value();
    }

    private static boolean wins(Explanation.LayerValue layer, Optional<Resolved> winner) {
        return winner.isPresent() && winner.get().origin().layer() == layer.layer();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
