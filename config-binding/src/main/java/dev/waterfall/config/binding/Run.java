package dev.waterfall.config.binding;

import dev.waterfall.config.Explanation;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One call of {@link Binder#bind}: the environment it reads, and the problems found so far. Every
 * plan reports into it and goes on, so that one exception lists them all.
 */
final class Run {

    private static final int SHOWN_LENGTH = 80;

    final Waterfall config;
    private final Map<String, String> environment;
    private final Set<String> reserved;
    final List<BindingProblem> problems = new ArrayList<>();
    /** How many absent records deep the reading is, against a record type that holds itself. */
    int depth;

    Run(Waterfall config) {
        this.config = config;
        this.environment = config.context().environment();
        this.reserved = config.reservedVariables();
    }

    /**
     * The value of the first of {@code variables} that is set, as a source for {@code key}; or
     * {@code fallback} when none is: the environment beats every other layer.
     */
    Source withEnvironment(String key, Source fallback, List<String> variables) {
        for (String variable : variables) {
            String text = environment.get(variable);
            if (text != null && !reserved.contains(variable)) {
                Key realKey = fallback != null && fallback.realKey != null ? fallback.realKey : Key.isValid(key) ? Key.of(key) : null;
                Source source = Source.ofEnvironment(key, realKey, variable, text);
                if (fallback != null && fallback.value instanceof StringValue) {
                    source.value = null; // read as the target type asks; the lower string only matters to Waterfall.get
                }
                return source;
            }
        }
        return fallback;
    }

    /** The secret that a {@code ${secret:NAME}} value of {@code source} stands for, or null after reporting why not. */
    String secret(Source source, String name, String expected) {
        if (source.realKey == null) {
            report(source, expected, "a secret reference (${secret:" + name + "}) inside a list or table, where secrets are not resolved; "
                    + "give the secret a key of its own");
            return null;
        }
        try {
            Optional<Resolved> resolved = config.get(source.realKey);
            if (resolved.isPresent() && resolved.get().value() instanceof StringValue text) {
                source.secret = true;
                return text.value();
            }
            report(source, expected, "a secret reference (${secret:" + name + "}) that did not resolve to text");
        } catch (WaterfallException e) {
            problems.add(new BindingProblem(source.key, expected, Optional.of("${secret:" + name + "}"), originText(source.origin)
                    + " (" + e.getMessage() + ")"));
        }
        return null;
    }

    /**
     * The text of {@code source} with its references expanded by {@code Waterfall.get} (secrets put in,
     * docs/references.md), or null after reporting why not: a cycle or a key with no value is a bad value
     * like any other, named with its chain.
     */
    String expanded(Source source, String expected) {
        if (source.realKey == null) {
            report(source, expected, "a reference inside a list or table, where references are not expanded; give the value a key of its own");
            return null;
        }
        try {
            Optional<Resolved> resolved = config.get(source.realKey);
            if (resolved.isPresent()) {
                source.secret = source.secret || resolved.get().secret().isPresent();
                return resolved.get().asText();
            }
            report(source, expected, "a reference that resolved to nothing");
        } catch (WaterfallException e) {
            problems.add(new BindingProblem(source.key, expected, Optional.of(shown(source)), originText(source.anyOrigin())
                    + " (" + e.getMessage() + ")"));
        }
        return null;
    }

    /** Reports that {@code source}'s value is not {@code expected}. */
    void wrong(Source source, String expected) {
        problems.add(new BindingProblem(source.key, expected, Optional.of(shown(source)), originText(source.anyOrigin())));
    }

    /** Reports that {@code source}'s value is not {@code expected}, with a reason in place of the value. */
    private void report(Source source, String expected, String what) {
        problems.add(new BindingProblem(source.key, expected, Optional.of(what), originText(source.anyOrigin())));
    }

    /** Reports a value the type itself refused (its constructor threw), at {@code key}. */
    void refused(String key, String expected, String shownValue, String origin) {
        problems.add(new BindingProblem(key, expected, Optional.of(shownValue), origin));
    }

    /**
     * Reports that no layer holds {@code key}, naming every place looked in: the environment
     * variables and each configured layer's source.
     */
    void missing(String key, String expected, List<String> variables) {
        List<String> places = new ArrayList<>();
        for (String variable : variables) {
            if (!places.contains(variable)) {
                places.add(variable);
            }
        }
        if (Key.isValid(key)) {
            try {
                Explanation explanation = config.explain(key);
                for (Explanation.LayerValue layer : explanation.layers()) {
                    if (layer.layer() != Layer.ENV && layer.configured()) {
                        places.add(layer.layer().label() + " " + layer.source());
                    }
                }
            } catch (WaterfallException e) {
                places.add("(the layers could not be read: " + e.getMessage() + ")");
            }
        }
        problems.add(new BindingProblem(key, expected, Optional.empty(), String.join(", ", places)));
    }

    /** The environment variable's bare name, else the origin as Waterfall prints it ({@code store json:/path:12}). */
    static String originText(Origin origin) {
        if (origin == null) {
            return "(unknown)";
        }
        return origin.layer() == Layer.ENV ? origin.source() : origin.toString();
    }

    /**
     * The value as a message may show it: {@code <redacted>} when it is a secret or its key looks
     * like a secret's (SecretPolicy's rule), else JSON text, shortened.
     */
    static String shown(Source source) {
        if (source.secret || looksSecret(source.key)) {
            return "<redacted>";
        }
        String text;
        if (source.envText != null) {
            text = new StringValue(source.envText).toJson();
        } else if (source.value != null) {
            text = source.value.toJson();
            if (SecretPolicy.reference(source.value).isPresent()) {
                return text;
            }
        } else {
            text = "a table of keys (" + String.join(", ", source.children().keySet()) + ")";
        }
        return text.length() > SHOWN_LENGTH ? text.substring(0, SHOWN_LENGTH - 1) + "…" : text;
    }

    /** SecretPolicy's rule on the key's name: its last segment, an index {@code [i]} looking through to the list's name. */
    static boolean looksSecret(String key) {
        String name = key.replaceAll("\\[\\d+]", "");
        int dot = name.lastIndexOf('.');
        name = dot < 0 ? name : name.substring(dot + 1);
        return !name.isEmpty() && Key.isValid(name) && SecretPolicy.looksSecret(Key.of(name));
    }

    /** The text of a value read as text: a string as itself, an environment variable's text as given. */
    static Optional<String> text(Source source) {
        if (source.envText != null) {
            return Optional.of(source.envText);
        }
        Value value = source.value;
        return value instanceof StringValue string ? Optional.of(string.value()) : Optional.empty();
    }
}
