package dev.waterfall.config.internal;

import dev.waterfall.config.Expansion;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.Key;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.SecretSource;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Expands the references in a string value: {@code ${key}}, {@code ${key:default}},
 * {@code ${env:NAME}}, {@code ${env:NAME:default}}, {@code ${secret:NAME}}, and {@code $${} for a
 * literal {@code ${}. Each key is resolved through the whole waterfall (environment, profiles,
 * layers) and its own references expanded in turn, to a depth of {@value #MAX_DEPTH}; a cycle, a
 * key with no value and no default, a deeper chain or a malformed reference stops the expansion
 * with a problem that names the chain ({@code a -> b -> a}). The rules are docs/references.md's.
 *
 * <p>When secrets are not opened (a listing), a {@code ${secret:NAME}} and a reference to a key that
 * {@linkplain SecretPolicy#looksSecret looks like a secret's} stay as written, so no secret becomes
 * part of a value that a listing shows. A value that is one reference and nothing else takes the
 * referred value's type ({@code ${server.port}} is the number 8080).
 */
public final class Interpolation {

    /** The longest reference chain that resolves: {@code k0 -> k1 -> ... -> k64}. */
    public static final int MAX_DEPTH = 64;

    private final Map<String, String> environment;
    private final Set<String> reserved;
    private final SecretSource secrets;

    /**
     * @param environment the variables {@code ${env:NAME}} reads
     * @param reserved    the variables that configure Waterfall itself, which a reference may not read
     * @param secrets     where {@code ${secret:NAME}} is looked up; null for none
     */
    public Interpolation(Map<String, String> environment, Set<String> reserved, SecretSource secrets) {
        this.environment = environment;
        this.reserved = reserved;
        this.secrets = secrets;
    }

    /** Whether {@code value} is a string that has references or {@code $${} in it: the cheap test before expanding. */
    public static boolean applies(Value value) {
        return value instanceof StringValue string && string.value().contains("${");
    }

    /**
     * {@code found} with its references expanded (unchanged when it has none): the value, the
     * expansion with every reference met, and the first secret that went into it. A problem does not
     * throw: the result holds the text as stored and {@link Expansion#problem()} says why.
     *
     * @param openSecrets whether to put secrets in ({@code get}) or leave them as written ({@code list})
     * @param lookup      a key's winning value through the whole waterfall, references unexpanded
     */
    public Resolved expand(Resolved found, boolean openSecrets, Function<Key, Optional<Resolved>> lookup) {
        if (!applies(found.value())) {
            return found;
        }
        Run run = new Run(openSecrets, lookup);
        List<Key> chain = new ArrayList<>();
        chain.add(found.key());
        Value value;
        Optional<String> problem = Optional.empty();
        try {
            value = run.value(((StringValue) found.value()).value(), chain);
        } catch (Problem stop) {
            value = found.value();
            problem = Optional.of(stop.getMessage());
        }
        Expansion expansion = new Expansion(found.value(), run.references, problem);
        return new Resolved(found.key(), value, found.origin(), found.entry(), Optional.ofNullable(run.secret), Optional.of(expansion));
    }

    /** Why an expansion stopped; its message names the chain. */
    private static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private static String chain(List<Key> chain, Key last) {
        List<String> names = new ArrayList<>();
        for (Key key : chain) {
            names.add(key.path());
        }
        if (last != null) {
            names.add(last.path());
        }
        if (names.size() > 8) {
            List<String> shortened = new ArrayList<>(names.subList(0, 3));
            shortened.add("... (" + (names.size() - 6) + " more)");
            shortened.addAll(names.subList(names.size() - 3, names.size()));
            names = shortened;
        }
        return String.join(" -> ", names);
    }

    /** One expansion: the references met and the first secret put in. */
    private final class Run {
        private final boolean openSecrets;
        private final Function<Key, Optional<Resolved>> lookup;
        private final List<Expansion.Reference> references = new ArrayList<>();
        private String secret;

        Run(boolean openSecrets, Function<Key, Optional<Resolved>> lookup) {
            this.openSecrets = openSecrets;
            this.lookup = lookup;
        }

        /** {@code text} expanded; a text that is one key reference and nothing else keeps the type of what it refers to. */
        Value value(String text, List<Key> chain) throws Problem {
            if (text.startsWith("${") && text.indexOf('}') == text.length() - 1 && !text.startsWith("${env:")
                    && !text.startsWith("${secret:")) {
                Value single = reference(text, text.substring(2, text.length() - 1), chain);
                return single;
            }
            return new StringValue(expand(text, chain));
        }

        private String expand(String text, List<Key> chain) throws Problem {
            StringBuilder out = new StringBuilder(text.length());
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '$' && text.startsWith("$${", i)) {
                    out.append("${");
                    i += 3;
                } else if (c == '$' && text.startsWith("${", i)) {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        throw new Problem(chain(chain, null) + ": \"" + text.substring(i) + "\" has no closing '}'; write $${ for a literal ${");
                    }
                    Value value = reference(text.substring(i, close + 1), text.substring(i + 2, close), chain);
                    out.append(value instanceof StringValue string ? string.value() : value.toJson());
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        /** The value of one reference {@code whole} ({@code ${expression}}), met in the value of the last key of {@code chain}. */
        private Value reference(String whole, String expression, List<Key> chain) throws Problem {
            int depth = chain.size();
            if (expression.startsWith("env:")) {
                return variable(whole, expression.substring(4), chain, depth);
            }
            if (expression.startsWith("secret:")) {
                return secret(whole, expression.substring(7), chain, depth);
            }
            int colon = expression.indexOf(':');
            String name = colon < 0 ? expression : expression.substring(0, colon);
            String fallback = colon < 0 ? null : expression.substring(colon + 1);
            Key key;
            try {
                key = Key.of(name);
            } catch (InvalidKeyException e) {
                throw new Problem(chain(chain, null) + ": " + whole + " is not a reference: \"" + name + "\" is not a key ("
                        + Key.RULE + "); write $${ for a literal ${");
            }
            if (chain.contains(key)) {
                throw new Problem("the references form a cycle " + chain(chain.subList(chain.indexOf(key), chain.size()), key)
                        + "; change one of these values (`waterfall get --raw KEY` shows one as written)");
            }
            if (depth > MAX_DEPTH) {
                throw new Problem("the reference chain " + chain(chain, key) + " is deeper than " + MAX_DEPTH
                        + " references; refer to the last key's value more directly");
            }
            Optional<Resolved> found = lookup.apply(key);
            if (found.isEmpty()) {
                if (fallback == null) {
                    throw new Problem(chain(chain, key) + ": " + key + " has no value in any layer and " + whole
                            + " gives no default; set " + key + ", or write ${" + key + ":DEFAULT}");
                }
                references.add(new Expansion.Reference(whole, depth, Optional.of(key), Optional.of(fallback), "the default in the reference", false));
                return new StringValue(fallback);
            }
            Resolved referred = found.get();
            Optional<String> secretName = SecretPolicy.reference(referred.value());
            boolean looksSecret = secretName.isPresent() || SecretPolicy.looksSecret(key);
            if (looksSecret && !openSecrets) {
                references.add(new Expansion.Reference(whole, depth, Optional.of(key), Optional.empty(), referred.origin().toString(), true));
                return new StringValue(whole); // a listing shows no secret, inside another value or not
            }
            int at = references.size();
            references.add(new Expansion.Reference(whole, depth, Optional.of(key), Optional.empty(), referred.origin().toString(), looksSecret));
            Value value;
            if (secretName.isPresent()) {
                value = new StringValue(open(whole, secretName.get(), chain));
            } else if (referred.value() instanceof StringValue text) {
                List<Key> deeper = new ArrayList<>(chain);
                deeper.add(key);
                value = text.value().contains("${") ? value(text.value(), deeper) : text;
            } else {
                value = referred.value();
            }
            if (looksSecret && secret == null) {
                secret = secretName.orElse(key.path());
            }
            String shown = value instanceof StringValue string ? string.value() : value.toJson();
            references.set(at, new Expansion.Reference(whole, depth, Optional.of(key), Optional.of(shown), referred.origin().toString(), looksSecret));
            return value;
        }

        private Value variable(String whole, String expression, List<Key> chain, int depth) throws Problem {
            int colon = expression.indexOf(':');
            String name = colon < 0 ? expression : expression.substring(0, colon);
            if (reserved.contains(name)) {
                throw new Problem(chain(chain, null) + ": " + whole + " refers to " + name
                        + ", which configures Waterfall itself and cannot be referred to");
            }
            String text = environment.get(name);
            if (text == null) {
                if (colon < 0) {
                    throw new Problem(chain(chain, null) + ": " + whole + " refers to the environment variable " + name
                            + ", which is not set, and gives no default; set it, or write ${env:" + name + ":DEFAULT}");
                }
                String fallback = expression.substring(colon + 1);
                references.add(new Expansion.Reference(whole, depth, Optional.empty(), Optional.of(fallback), "the default in the reference", false));
                return new StringValue(fallback);
            }
            references.add(new Expansion.Reference(whole, depth, Optional.empty(), Optional.of(text), "env " + name, false));
            return new StringValue(text);
        }

        private Value secret(String whole, String name, List<Key> chain, int depth) throws Problem {
            if (!openSecrets) {
                references.add(new Expansion.Reference(whole, depth, Optional.empty(), Optional.empty(), "secret " + name, true));
                return new StringValue(whole);
            }
            String text = open(whole, name, chain);
            if (secret == null) {
                secret = name;
            }
            references.add(new Expansion.Reference(whole, depth, Optional.empty(), Optional.of(text), "secret " + name, true));
            return new StringValue(text);
        }

        private String open(String whole, String name, List<Key> chain) throws Problem {
            if (secrets == null) {
                throw new Problem(chain(chain, null) + ": " + whole + " refers to the secret " + name
                        + ", but no secret source is configured: give one with Waterfall.builder(...).secrets(...)");
            }
            return secrets.secret(name).orElseThrow(() -> new Problem(chain(chain, null) + ": " + whole + " refers to the secret " + name
                    + ", which is not in " + secrets.location() + "; add it (`waterfall secret set " + name + "`)"));
        }
    }
}
