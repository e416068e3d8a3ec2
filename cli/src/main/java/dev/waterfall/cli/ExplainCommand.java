package dev.waterfall.cli;

import dev.waterfall.config.Expansion;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.InvalidValueException;
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
            "With profiles active (--profile, <PREFIX>_PROFILE), each layer's profile rows come right above it, the last "
                    + "profile named first: the order in which the waterfall looks.",
            "A value with references (${key}, ${env:NAME}, ...) is followed by each reference, its value and where that "
                    + "came from, nested as deep as the chain goes; a reference that cannot be expanded exits with 2, "
                    + "naming the chain.",
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
                        if (!layer.profile().isEmpty()) {
                            output.field("profile", layer.profile());
                        }
                        output.field("wins", wins(layer, winner));
                        output.endObject();
                    }
                    output.endArray();
                    Optional<Expansion> expansion = winner.flatMap(Resolved::expansion);
                    if (expansion.isPresent()) {
                        output.startArray("references");
                        for (Expansion.Reference reference : expansion.get().references()) {
                            output.startObject();
                            output.field("reference", reference.expression());
                            output.field("depth", reference.depth());
                            if (reference.key().isPresent()) {
                                output.field("key", reference.key().get().path());
                            }
                            if (reference.value().isPresent() && !reference.secret() && !redacted) {
                                output.field("value", reference.value().get());
                            }
                            output.field("from", reference.from());
                            output.endObject();
                        }
                        output.endArray();
                        if (expansion.get().problem().isPresent()) {
                            output.field("problem", expansion.get().problem().get());
                        }
                    }
                    output.endObject();
                });
            } else {
                printText(parsed, explanation, winner, redacted, alsoOverridden);
                SchemaCommand.describe(waterfall, parsed).ifPresent(text -> {
                    text.lines().forEach(line -> out().println("schema    " + line));
                    out().flush();
                });
            }
            Optional<String> problem = winner.flatMap(Resolved::expansion).flatMap(Expansion::problem);
            if (problem.isPresent()) {
                throw new InvalidValueException("cannot expand " + parsed + " (" + winner.get().origin() + "): " + problem.get());
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
            String label = layer.layer().label() + (layer.profile().isEmpty() ? "" : " %" + layer.profile());
            rows.add(new Row(wins(layer, winner), label, SecretDisplay.shown(value, redacted, "-"), source));
        }
        int width = Math.min(MAX_VALUE_WIDTH, rows.stream().mapToInt(row -> row.value().length()).max().orElse(1));
        int labels = Math.max(10, rows.stream().mapToInt(row -> row.layer().length() + 2).max().orElse(10));
        for (Row row : rows) {
            out().println((row.wins() ? "* " : "  ") + pad(row.layer(), labels) + pad(row.value(), width + 2) + row.source());
        }
        Optional<Expansion> expansion = winner.flatMap(Resolved::expansion);
        if (expansion.isPresent()) {
            printReferences(expansion.get(), redacted);
        }
        if (!alsoOverridden.isEmpty()) {
            out().println("note: " + explanation.envVariable() + " also overrides " + String.join(", ", alsoOverridden.stream().map(Key::path)
                    .toList()) + ": a variable overrides every key whose variable it is, so setting it changes them all");
        }
        out().flush();
    }

    /**
     * The reference chain under the rows: {@code ref  ${db.host}  localhost  store /…/config.json:3},
     * a reference inside a referenced value indented under it; a secret's value never shown.
     */
    private void printReferences(Expansion expansion, boolean redacted) {
        List<String[]> lines = new ArrayList<>();
        for (Expansion.Reference reference : expansion.references()) {
            String value = reference.value().isEmpty() ? (reference.secret() ? SecretDisplay.REDACTED : "-")
                    : reference.secret() || redacted ? SecretDisplay.REDACTED : reference.value().get();
            lines.add(new String[] {"  ".repeat(reference.depth() - 1) + reference.expression(), value, reference.from()});
        }
        int expressions = lines.stream().mapToInt(line -> line[0].length()).max().orElse(1);
        int values = Math.min(MAX_VALUE_WIDTH, lines.stream().mapToInt(line -> line[1].length()).max().orElse(1));
        for (String[] line : lines) {
            out().println("  ref     " + pad(line[0], expressions + 2) + pad(line[1], values + 2) + line[2]);
        }
        expansion.problem().ifPresent(problem -> out().println("  error   " + problem));
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
        return winner.isPresent() && layer.supplied(winner.get());
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
