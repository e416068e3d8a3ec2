package dev.waterfall.config;

import dev.waterfall.config.internal.BindingSupport;
import dev.waterfall.config.internal.DefaultLocations;
import dev.waterfall.config.internal.DocumentLayer;
import dev.waterfall.config.internal.EnvNames;
import dev.waterfall.config.internal.Interpolation;
import dev.waterfall.config.internal.LayerStack;
import dev.waterfall.config.internal.Providers;
import dev.waterfall.config.internal.SchemaSupport;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.Services;
import dev.waterfall.config.spi.StoreContext;

import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An application's configuration: the waterfall of environment variables, the user's store, an
 * optional system file and the shipped defaults, resolved key by key, highest first.
 *
 * <pre>{@code
 * try (Waterfall config = Waterfall.builder("pipeline")
 *         .defaultsResource(Main.class, "/defaults.json")
 *         .surface("gui")
 *         .open()) {
 *     Resolved name = config.get("plant.default_name").orElseThrow();
 *     System.out.println(name.asText() + " from " + name.origin());
 *     config.set("plant.default_name", Value.of("Rosemary"));
 * }
 * }</pre>
 *
 * <p>Only the user's store is ever written, and only with keys that were set explicitly:
 * environment values and defaults never leak into it. The store's file or database is created by the
 * first write, never by a read.
 *
 * <p>Everything this object depends on (environment, clock, home, process identity, providers) is
 * fixed when it is built; it holds no global state, and several instances can live side by side.
 * It is safe for use by many threads. Close it to release the store and shared resources.
 */
public final class Waterfall implements AutoCloseable {

    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String app;
    private final String envPrefix;
    private final Map<String, String> environment;
    private final Providers providers;
    private final StoreContext context;
    private final StoreUri storeUri;
    private final StoreUri builtStore; // the store given to the builder, if one was
    private final ConfigStore store;
    private final DocumentLayer system;
    private final DocumentLayer defaults;
    private final SecretSource secrets;
    private final Path configDirectory;
    private final SchemaSupport schema;
    private final BindingSupport binding;
    /** The layers below the environment, highest first: what resolution, list, explain and doctor walk. */
    private final LayerStack layers;
    private final Interpolation interpolation;
    /** Whether the active profiles came from {@code <PREFIX>_PROFILE} (doctor checks that each is defined somewhere). */
    private final boolean profilesFromEnvironment;
    /** {@link #reservedVariables()}, made once: every read asks whether its key's variable is one. */
    private final Set<String> reserved;
    private final PrefixWatches watches;

    private Waterfall(Builder builder) {
        this.app = builder.app;
        this.envPrefix = builder.envPrefix != null ? builder.envPrefix : EnvNames.prefixFor(app);
        this.reserved = Set.of(storeVariable(), envPrefix + "_SECRETS", envPrefix + "_SECRETS_FILE", envPrefix + "_SECRETS_PASSPHRASE",
                envPrefix + "_SCHEMA", profileVariable());
        this.environment = Map.copyOf(builder.environment);
        this.providers = Providers.of(builder.providers, builder.discover, builder.classLoader);
        Services services = new Services();
        builder.services.forEach((type, instance) -> putService(services, type, instance));
        ProcessIdentity identity = builder.identity != null ? builder.identity : ProcessIdentity.current(environment);
        this.context = new StoreContext(app, identity.actor(builder.surface), builder.clock, environment, builder.home, services,
                builder.plaintextSecrets);
        this.configDirectory = DefaultLocations.configDirectory(app, builder.osName, environment, builder.home);
        this.builtStore = builder.store;
        this.storeUri = chooseStore(builder);
        this.system = builder.systemFile == null ? null : DocumentLayer.ofFile(builder.systemFile, true, providers);
        if (builder.defaultsResource != null) {
            this.defaults = DocumentLayer.ofResource(builder.defaultsResource, providers);
        } else if (builder.defaultsFile != null) {
            this.defaults = DocumentLayer.ofFile(builder.defaultsFile, false, providers);
        } else if (builder.defaultValues != null) {
            this.defaults = DocumentLayer.ofValues("(built-in defaults)", builder.defaultValues);
        } else {
            this.defaults = null;
        }
        this.store = providers.forUri(storeUri).open(storeUri, context);
        this.secrets = builder.secrets == null ? null : builder.secrets.open(app, envPrefix, environment, configDirectory);
        this.schema = SchemaSupport.of(builder.schema, environment.get(envPrefix + "_SCHEMA"), builder.classLoader);
        this.binding = new BindingSupport(builder.classLoader);
        this.profilesFromEnvironment = builder.profiles == null;
        List<String> profiles = builder.profiles != null ? builder.profiles : profilesFromEnvironment(environment.get(profileVariable()));
        this.layers = LayerStack.of(store, storeFile(storeUri, builder.home), system, builder.systemFile, defaults, profiles, providers);
        this.interpolation = new Interpolation(environment, reservedVariables(), secrets);
        List<Path> layerFiles = new ArrayList<>();
        if (builder.systemFile != null) {
            layerFiles.add(builder.systemFile);
        }
        if (builder.defaultsResource == null && builder.defaultsFile != null) {
            layerFiles.add(builder.defaultsFile);
        }
        this.watches = new PrefixWatches(this, layerFiles);
    }

    /** The profiles {@code <PREFIX>_PROFILE} names, comma-separated, in order (the last wins), each once. */
    private List<String> profilesFromEnvironment(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!Key.isProfileName(name)) {
                throw new InvalidValueException("the environment variable " + profileVariable() + " names the profile \""
                        + dev.waterfall.config.spi.Echo.of(name) + "\", which is not a valid name: use ASCII letters, digits, '_' or '-', "
                        + "comma-separated (dev,local)");
            }
            names.remove(name);
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** The file of a store kept in one file, beside which a profile's file may lie; null for a database server. */
    private static Path storeFile(StoreUri uri, Path home) {
        if (!Set.of("json", "toml", "ndjson", "sqlite").contains(uri.scheme()) || uri.rest().isBlank()) {
            return null;
        }
        try {
            String rest = uri.rest();
            Path file = rest.equals("~") || rest.startsWith("~/") ? home.resolve(rest.substring(Math.min(2, rest.length()))) : Path.of(rest);
            return file.getFileName() == null ? null : file;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** The active profiles, in the order named (the last wins): the builder's, else {@code <PREFIX>_PROFILE}'s; docs/references.md. */
    public List<String> profiles() {
        return layers.profiles();
    }

    /** The variable that names the active profiles, {@code <PREFIX>_PROFILE}; it is never read as a key. */
    public String profileVariable() {
        return envPrefix + "_PROFILE";
    }

    /**
     * The folder of the app's own configuration on this platform (where the default store lives),
     * e.g. {@code ~/.config/<app>}: for files that belong beside it, such as a secrets file.
     */
    public Path configDirectory() {
        return configDirectory;
    }

    @SuppressWarnings("unchecked")
    private static <T> void putService(Services services, Class<?> type, Object instance) {
        services.put((Class<T>) type, (T) instance);
    }

    /** Where the store came from; see {@link #storeChoice()}. */
    public enum StoreChoice {
        /** Given to the builder ({@link Builder#store(String)}; the CLI's {@code --store}). */
        GIVEN,
        /** From the variable {@link #storeVariable()}. */
        VARIABLE,
        /** The default JSON file in {@link #configDirectory()}. */
        DEFAULT
    }

    /** Where the store came from: given, from {@link #storeVariable()}, or the default file. */
    public StoreChoice storeChoice() {
        return builtStore != null ? StoreChoice.GIVEN : variableStore() != null ? StoreChoice.VARIABLE : StoreChoice.DEFAULT;
    }

    private String variableStore() {
        String fromEnv = environment.get(storeVariable());
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : null;
    }

    private StoreUri chooseStore(Builder builder) {
        return switch (storeChoice()) {
            case GIVEN -> builder.store;
            case VARIABLE -> StoreUri.parse(variableStore());
            case DEFAULT -> StoreUri.of("json", DefaultLocations.defaultStoreFile(configDirectory).toString());
        };
    }

    /**
     * Starts building the configuration of application {@code app}; the name picks the default
     * store folder and the environment prefix ({@code my-app} reads {@code MY_APP_*}).
     *
     * @throws InvalidValueException if the name is empty or holds characters a folder name should not
     */
    public static Builder builder(String app) {
        Objects.requireNonNull(app, "app");
        if (!APP_NAME.matcher(app).matches()) {
            throw new InvalidValueException("invalid application name \"" + app
                    + "\": use letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return new Builder(app);
    }

    /** The application name. */
    public String app() {
        return app;
    }

    /** The environment prefix, e.g. {@code PIPELINE}. */
    public String envPrefix() {
        return envPrefix;
    }

    /**
     * The environment variable that overrides {@code key}, e.g. {@code PIPELINE_PLANT_DEFAULT_NAME};
     * empty text for a key with a quoted segment ({@code target."cfg(unix)".x}), which no variable overrides.
     */
    public String envVariable(Key key) {
        return EnvNames.nameOf(envPrefix, key);
    }

    /** The variable that picks the store, {@code <PREFIX>_STORE}; it is never read as a key. */
    public String storeVariable() {
        return envPrefix + "_STORE";
    }

    /**
     * The variables that configure Waterfall itself and are never read as keys: {@link #storeVariable()},
     * and those of the secrets that {@code ${secret:NAME}} values refer to: {@code <PREFIX>_SECRETS}
     * (keyring, file or auto), {@code <PREFIX>_SECRETS_FILE} and {@code <PREFIX>_SECRETS_PASSPHRASE}.
     * So the keys {@code secrets}, {@code secrets.file} and {@code secrets.passphrase} cannot be
     * given through the environment.
     */
    public Set<String> reservedVariables() {
        return reserved;
    }

    /** The user's store: the one writable layer. */
    public ConfigStore store() {
        return store;
    }

    /** The URI of the user's store (its {@code toString()} hides any password). */
    public StoreUri storeUri() {
        return storeUri;
    }

    /** The URI schemes of the installed store providers. */
    public Set<String> storeSchemes() {
        return providers.schemes();
    }

    /**
     * Opens another store in this instance's world (same actor, clock, shared locks and pools), for
     * tools that copy between stores. The caller closes it.
     *
     * @throws UnknownStoreException listing the installed schemes if none handles the URI
     */
    public ConfigStore openStore(StoreUri uri) {
        return providers.forUri(uri).open(uri, context);
    }

    /**
     * The world stores are opened in: actor, clock, environment, home and shared services.
     */
    public StoreContext context() {
        return context;
    }

    /** Resolves {@code key}; see {@link #get(Key)}. */
    public Optional<Resolved> get(String key) {
        return get(Key.of(key));
    }

    /**
     * Resolves {@code key} through the layers, highest first, freshly read: the first layer that
     * has it wins, and the result says which.
     *
     * <p>An environment value is text; it is read as JSON when it is a JSON literal ({@code 8080},
     * {@code true}, {@code [1,2]}), else as a string, except that when a lower layer holds a string
     * for the key the variable is taken verbatim as a string, so {@code 007} stays {@code "007"}.
     *
     * <p>A winning string that is exactly {@code ${secret:NAME}} is replaced by the secret
     * {@code NAME} from the {@linkplain Builder#secrets secret source}; the result names it in
     * {@link Resolved#secret()}. Any other reference in a winning string ({@code ${key}},
     * {@code ${key:default}}, {@code ${env:NAME}}, {@code ${secret:NAME}} inside a text) is expanded,
     * each key through the whole waterfall; {@link Resolved#expansion()} holds the chain and
     * {@link Resolved#dependsOn()} the keys it read (docs/references.md).
     *
     * @throws StoreBrokenException      if the store or a file layer cannot be parsed
     * @throws StoreUnavailableException if the store cannot be reached
     * @throws InvalidValueException     if a reference cannot be expanded: a cycle, a key with no value and no default,
     *                                   a chain deeper than 64; the message names the chain ({@code a -> b -> a})
     * @throws WaterfallException        if the value refers to a secret that cannot be had
     */
    public Optional<Resolved> get(Key key) {
        Optional<Resolved> found = resolveReference(unresolved(key));
        if (found.isEmpty() || !Interpolation.applies(found.get().value())) {
            return found;
        }
        Resolved expanded = interpolation.expand(found.get(), true, this::unresolved);
        Optional<String> problem = expanded.expansion().flatMap(Expansion::problem);
        if (problem.isPresent()) {
            throw new InvalidValueException("cannot expand " + key + " (" + expanded.origin() + "): " + problem.get());
        }
        return Optional.of(expanded);
    }

    /**
     * {@code key}'s winning value as its layer holds it: references unexpanded, a secret reference
     * left as it is ({@code waterfall get --raw}).
     */
    public Optional<Resolved> raw(Key key) {
        return unresolved(key);
    }

    /** A value as a listing or an explanation shows it: references expanded, secrets left as written, a problem kept in the result. */
    private Resolved shown(Resolved found, LayerStack.StoreView view) {
        if (!Interpolation.applies(found.value()) || SecretPolicy.reference(found.value()).isPresent()) {
            return found;
        }
        return interpolation.expand(found, false, key -> unresolved(key, view));
    }

    /**
     * The value {@link #get(Key)} resolves {@code key} to, the same layers and secret references,
     * without the store's metadata of the entry (revision, time, author), which a store need not
     * read for it ({@link ConfigStore#value}): for readers that want only the value, such as a
     * plain {@code waterfall get}. References and profiles are honoured: when a profile is active,
     * or the winning value holds <code>${</code>, this is {@code get(key).map(Resolved::value)}.
     *
     * @throws StoreBrokenException      if the store or a file layer cannot be parsed
     * @throws StoreUnavailableException if the store cannot be reached
     * @throws WaterfallException        if the value refers to a secret that cannot be had
     */
    public Optional<Value> value(Key key) {
        if (!layers.profiles().isEmpty()) { // a profile's %p.key lies beside the key: the full resolution reads both
            return get(key).map(Resolved::value);
        }
        Optional<Entry> stored = store.value(key).map(value -> new Entry(key, value, Entry.UNRECORDED, Instant.EPOCH, Actor.EXTERNAL, 0));
        Optional<Resolved> found = unresolved(key, LayerStack.StoreView.of(key, stored)); // the made-up metadata never leaves
        if (found.isPresent() && Interpolation.applies(found.get().value())) { // ${...}: references resolve through every layer
            return get(key).map(Resolved::value);
        }
        return resolveReference(found).map(Resolved::value);
    }

    /**
     * The secret a {@code ${secret:NAME}} value stands for (docs/secrets.md), in place of the reference.
     *
     * @throws WaterfallException naming the key and the secret if there is no secret source or it lacks the secret
     */
    private Optional<Resolved> resolveReference(Optional<Resolved> found) {
        if (found.isEmpty()) {
            return found;
        }
        Resolved resolved = found.get();
        Optional<String> name = SecretPolicy.reference(resolved.value());
        if (name.isEmpty()) {
            return found;
        }
        if (secrets == null) {
            throw new WaterfallException(resolved.key() + " refers to the secret " + name.get() + " (" + resolved.origin()
                    + "), but no secret source is configured: give one with Waterfall.builder(...).secrets(...)"
                    + (resolved.key().isBare() ? ", or set " + envVariable(resolved.key()) + " to override the key" : ""));
        }
        String secret = secrets.secret(name.get()).orElseThrow(() -> new WaterfallException(resolved.key() + " refers to the secret "
                + name.get() + ", which is not in " + secrets.location() + "; add it (`waterfall secret set " + name.get() + "`)"));
        return Optional.of(new Resolved(resolved.key(), new StringValue(secret), resolved.origin(), resolved.entry(), name));
    }

    /** The winning value of {@code key}, references and secret references left as they are. */
    private Optional<Resolved> unresolved(Key key) {
        return unresolved(key, LayerStack.StoreView.of(store));
    }

    /**
     * The winning value of {@code key}, the store read through {@code view}, references and secret
     * references left as they are: the environment, then the {@linkplain LayerStack layers} in order.
     */
    private Optional<Resolved> unresolved(Key key, LayerStack.StoreView view) {
        String variable = envVariable(key);
        String envText = envText(variable);
        Optional<Resolved> lower = layers.find(key, view);
        if (envText == null) {
            return lower;
        }
        Value value;
        try {
            value = lower.isPresent() && lower.get().value() instanceof StringValue ? new StringValue(envText) : Value.parseLiteral(envText);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("the environment variable " + variable + " (which overrides " + key + ") does not parse: "
                    + (looksSecretVariable(variable) ? "it starts like JSON but is not valid JSON (its value is not shown: the name "
                    + "looks like a secret's)" : e.getMessage()) + "; fix or unset " + variable, e);
        }
        return Optional.of(new Resolved(key, value, new Origin(Layer.ENV, variable, 0), Optional.empty()));
    }

    /**
     * Whether the variable's name looks like a secret's ({@code <PREFIX>_DB_PASSWORD}), by the
     * {@linkplain SecretPolicy#looksSecret rule for keys}: its words are those of every key it overrides.
     */
    public boolean looksSecretVariable(String variable) {
        if (!variable.startsWith(envPrefix + "_")) {
            return false;
        }
        String name = variable.substring(envPrefix.length() + 1);
        return !name.isEmpty() && Key.isValid(name) && SecretPolicy.looksSecret(Key.of(name));
    }

    /**
     * The other keys known to the store, the system file or the defaults whose environment variable
     * is {@code key}'s ({@code a.b_c} and {@code a_b.c} both have {@code <PREFIX>_A_B_C}). A variable
     * overrides every key whose variable it is: none of them wins over another, so that which keys a
     * variable changes never depends on which other keys happen to exist.
     */
    public List<Key> keysSharingVariable(Key key) {
        List<Key> keys = sharedVariables().getOrDefault(envVariable(key), List.of());
        return keys.stream().filter(other -> !other.equals(key)).toList();
    }

    /** The variables that two or more known keys share, each with its keys, sorted. */
    private Map<String, List<Key>> sharedVariables() {
        Map<String, List<Key>> byVariable = new TreeMap<>();
        Set<Key> known = new TreeSet<>(store.snapshot().entries().keySet());
        if (system != null) {
            known.addAll(system.document().values().keySet());
        }
        if (defaults != null) {
            known.addAll(defaults.document().values().keySet());
        }
        for (Key key : known) {
            byVariable.computeIfAbsent(envVariable(key), variable -> new ArrayList<>()).add(key);
        }
        byVariable.values().removeIf(keys -> keys.size() < 2);
        byVariable.keySet().removeIf(this::isReserved);
        return byVariable;
    }

    private boolean isReserved(String variable) {
        return variable.isEmpty() || reservedVariables().contains(variable); // "": a key that has no variable
    }

    /** The key's variable as the environment layer reads it: none when it has none or it is reserved. */
    private String envText(String variable) {
        return isReserved(variable) ? null : environment.get(variable);
    }

    /**
     * Resolves every key that the store, the system file or the defaults know (an environment
     * variable alone cannot name a key), sorted by key. A {@code ${secret:NAME}} value is left as
     * that reference: a listing never opens the secrets.
     */
    public List<Resolved> list() {
        return list("");
    }

    /**
     * Resolves every key at or under {@code prefix} ({@code ""} for all) that the store, the system
     * file or the defaults know, sorted by key, against one snapshot of the store: what a
     * {@code Binder} reads to build a typed object, in one read of the store however many keys
     * there are. A {@code ${secret:NAME}} value is left as that reference.
     *
     * <p>References are expanded, secrets left as written (a reference to a key that looks like a
     * secret's too), so no secret becomes part of a listed value; a value whose references cannot
     * be expanded is listed as written, {@link Resolved#expansion()} saying why. With profiles
     * active, a profile's {@code %p.} keys show under their own names; other profiles' keys as stored.
     *
     * @throws InvalidKeyException if {@code prefix} is neither empty nor a valid key
     */
    public List<Resolved> list(String prefix) {
        return list(prefix, store.snapshot());
    }

    /** {@link #list(String)} against a given snapshot of the store (for watches, which read the store once for every prefix). */
    List<Resolved> list(String prefix, Snapshot snapshot) {
        Key root = prefix.isEmpty() ? null : Key.of(prefix);
        LayerStack.StoreView view = LayerStack.StoreView.of(snapshot, root);
        Set<Key> keys = layers.keys(view);
        List<Resolved> resolved = new ArrayList<>(keys.size());
        for (Key key : keys) {
            if (root == null || key.isWithin(root)) {
                unresolved(key, view).ifPresent(found -> resolved.add(shown(found, view)));
            }
        }
        return resolved;
    }

    /** Explains {@code key}; see {@link #explain(Key)}. */
    public Explanation explain(String key) {
        return explain(Key.of(key));
    }

    /**
     * Every layer's value for {@code key}, the winner, and the exact environment variable name: one
     * row for the environment, then one for each of the {@linkplain LayerStack layers} in the order
     * resolution walks them (a profile's rows only when it is active). A {@code ${secret:NAME}}
     * value is left as that reference; the winner's other references are expanded, its
     * {@link Resolved#expansion()} holding each reference's value and origin, or the problem
     * (a cycle, a missing key) that stopped it.
     */
    public Explanation explain(Key key) {
        return explain(key, LayerStack.StoreView.of(store));
    }

    /**
     * {@link #explain(Key)} of every key that the store, the system file or the defaults know,
     * sorted by key, against one snapshot of the store: what a settings page shows, in one read of
     * the store however many keys there are (the console's key list: 10,000 keys took seconds as
     * 10,000 {@code explain} calls, each reading the store).
     */
    public List<Explanation> explainAll() {
        LayerStack.StoreView view = LayerStack.StoreView.of(store.snapshot(), null);
        Set<Key> keys = layers.keys(view);
        List<Explanation> explanations = new ArrayList<>(keys.size());
        for (Key key : keys) {
            explanations.add(explain(key, view));
        }
        return explanations;
    }

    private Explanation explain(Key key, LayerStack.StoreView view) {
        String variable = envVariable(key);
        String envText = envText(variable);
        List<Explanation.LayerValue> rows = new ArrayList<>(layers.sources().size() + 1);
        rows.add(new Explanation.LayerValue(Layer.ENV, variable, !variable.isEmpty(),
                Optional.ofNullable(envText).map(text -> (Value) new StringValue(text)), 0));
        for (LayerStack.Source source : layers.sources()) {
            rows.add(source.row(key, view));
        }
        return new Explanation(key, variable, rows, unresolved(key, view).map(found -> shown(found, view)));
    }

    /** Sets {@code key} in the user's store; see {@link #set(Key, Value)}. */
    public WriteResult set(String key, Value value) {
        return set(Key.of(key), value);
    }

    /**
     * Sets {@code key} to {@code value} in the user's store, durably. If an environment variable
     * overrides the key, the write still succeeds and the result carries a warning saying so.
     *
     * @throws KeyConflictException      if the key would be both a value and a table
     * @throws StoreBrokenException      if the store's content cannot be read (nothing is replaced)
     * @throws StoreUnavailableException if the store cannot be written
     */
    public WriteResult set(Key key, Value value) {
        schema.refuse(key, value);
        Commit commit = store.apply(List.of(Change.set(key, value)));
        Optional<Entry> entry = commit.written().isEmpty() ? store.get(key) : Optional.of(commit.written().get(0));
        return new WriteResult(key, entry, commit.changed(), shadowWarnings(key));
    }

    /** Unsets {@code key} in the user's store; see {@link #unset(Key)}. */
    public WriteResult unset(String key) {
        return unset(Key.of(key));
    }

    /**
     * Removes {@code key} from the user's store, so the system file's or the defaults' value shows
     * through again. Removing an absent key changes nothing.
     */
    public WriteResult unset(Key key) {
        Commit commit = store.apply(List.of(Change.unset(key)));
        return new WriteResult(key, Optional.empty(), commit.changed(), shadowWarnings(key));
    }

    /**
     * Applies one change to the user's store, durably: a set or an unset, optionally guarded by a
     * compare-and-set ({@code Change.set(key, value).ifRevision(r)}, {@link Change#ABSENT} for
     * "must be absent"). Like {@link #set} and {@link #unset}, a write that an environment variable
     * overrides succeeds and the result carries a warning saying so.
     *
     * @throws RevisionConflictException if the key is not at the expected revision; nothing is written
     * @throws KeyConflictException      if the key would be both a value and a table
     * @throws StoreBrokenException      if the store's content cannot be read (nothing is replaced)
     * @throws StoreUnavailableException if the store cannot be written
     */
    public WriteResult apply(Change change) {
        Objects.requireNonNull(change, "change");
        Key key = change.key();
        if (change instanceof Change.Put write) {
            schema.refuse(key, write.value());
        }
        Commit commit = store.apply(List.of(change));
        Optional<Entry> entry = change instanceof Change.Put
                ? (commit.written().isEmpty() ? store.get(key) : Optional.of(commit.written().get(0)))
                : Optional.empty();
        return new WriteResult(key, entry, commit.changed(), shadowWarnings(key));
    }

    private List<String> shadowWarnings(Key key) {
        String variable = envVariable(key);
        if (isReserved(variable) || !environment.containsKey(variable)) {
            return List.of();
        }
        return List.of("the environment variable " + variable + " is set and overrides the stored value of " + key
                + "; unset " + variable + " for the store's value to take effect");
    }

    /**
     * The environment variables with this application's prefix that match no key known to the
     * store, the system file or the defaults: most likely typos, which would otherwise silently do
     * nothing. The {@linkplain #reservedVariables() reserved variables} are not keys and are never reported.
     */
    public List<String> unmatchedEnvironmentVariables() {
        Set<String> known = new TreeSet<>(reservedVariables());
        store.snapshot().entries().keySet().forEach(key -> known.add(envVariable(key)));
        if (system != null) {
            system.document().values().keySet().forEach(key -> known.add(envVariable(key)));
        }
        if (defaults != null) {
            defaults.document().values().keySet().forEach(key -> known.add(envVariable(key)));
        }
        String prefix = envPrefix + "_";
        return environment.keySet().stream()
                .filter(name -> name.startsWith(prefix) && !known.contains(name))
                .sorted()
                .toList();
    }

    /**
     * Checks the configuration's health: the store's own findings, environment variables that match
     * no key, and environment variables that shadow stored keys.
     */
    public List<Diagnostic> diagnose() {
        List<Diagnostic> findings = new ArrayList<>(store.diagnose());
        try {
            Set<String> schemaVariables = schemaVariables();
            for (String name : unmatchedEnvironmentVariables()) {
                if (schemaVariables.contains(name)) {
                    continue; // a key the settings schema names, which no layer need hold
                }
                findings.add(new Diagnostic(Diagnostic.Severity.WARNING, name,
                        "matches no key in the store, system file or defaults; is it a typo? (its value is not shown: a "
                                + "mistyped name may hold a secret)"));
            }
            for (Map.Entry<String, List<Key>> shared : sharedVariables().entrySet()) {
                String variable = shared.getKey();
                String keys = String.join(" and ", shared.getValue().stream().map(Key::path).toList());
                if (environment.containsKey(variable)) {
                    findings.add(new Diagnostic(Diagnostic.Severity.WARNING, variable, "is the variable of " + keys
                            + ", and overrides them all; to override only one, unset it and set the others in the store"));
                } else {
                    findings.add(new Diagnostic(Diagnostic.Severity.INFO, variable, "is the variable of " + keys
                            + "; set, it would override them all (none can be overridden alone)"));
                }
            }
            for (Key key : store.snapshot().entries().keySet()) {
                String variable = envVariable(key);
                if (!isReserved(variable) && environment.containsKey(variable)) {
                    findings.add(new Diagnostic(Diagnostic.Severity.INFO, variable,
                            "overrides the stored value of " + key + " (unset it for the store's value to take effect)"));
                }
            }
        } catch (WaterfallException e) {
            // the store's own diagnosis already reported why it cannot be read
        }
        findings.addAll(schemaDiagnostics());
        findings.addAll(referenceDiagnostics());
        for (DocumentLayer layer : new DocumentLayer[] {system, defaults}) {
            if (layer != null) {
                try {
                    layer.document();
                } catch (WaterfallException e) {
                    findings.add(new Diagnostic(Diagnostic.Severity.ERROR, layer.source(), e.getMessage()));
                }
            }
        }
        return findings;
    }

    /**
     * Every value, in every layer, whose references cannot be expanded (a cycle, a key with no value
     * and no default, a chain too deep, a malformed reference), as an error naming the layer, the key
     * and the chain; then the profiles' loose ends, as warnings: a {@code %p.} key (or a key of a
     * profile's file) that shadows nothing because no layer holds its base key, and a profile that
     * {@code <PREFIX>_PROFILE} names but no layer defines.
     */
    public List<Diagnostic> referenceDiagnostics() {
        List<Diagnostic> findings = new ArrayList<>();
        LayerStack.StoreView view;
        try {
            view = LayerStack.StoreView.of(store.snapshot(), null);
        } catch (WaterfallException e) {
            return findings; // the store's own diagnosis reports why it cannot be read
        }
        Set<Key> baseKeys = new TreeSet<>();
        for (LayerStack.Source source : layers.sources()) {
            if (source.profile().isEmpty()) {
                try {
                    source.keys(view).stream().filter(key -> key.profile().isEmpty()).forEach(baseKeys::add);
                } catch (WaterfallException e) {
                    // a layer that cannot be read is reported as such
                }
            }
        }
        Set<Key> known;
        try {
            known = layers.keys(view);
        } catch (WaterfallException e) {
            return findings; // a layer that cannot be read is reported as such, and references through it cannot be followed
        }
        for (Key key : known) {
            String variable = envVariable(key);
            String text = isReserved(variable) ? null : environment.get(variable);
            if (text != null && text.contains("${")) {
                check(findings, new Resolved(key, new StringValue(text), new Origin(Layer.ENV, variable, 0), Optional.empty()), view);
            }
        }
        for (LayerStack.Source source : layers.sources()) {
            Map<Key, Value> values;
            try {
                values = source.values(view);
            } catch (WaterfallException e) {
                continue;
            }
            for (Map.Entry<Key, Value> value : values.entrySet()) {
                Key stored = value.getKey();
                Key asked = source.profile().isEmpty() ? stored.withoutProfile() : stored;
                Origin origin = new Origin(source.layer(), source.name(), 0, stored.profile().orElse(source.profile()));
                if (Interpolation.applies(value.getValue())) {
                    check(findings, new Resolved(asked, value.getValue(), origin, Optional.empty()), view);
                }
                boolean profiled = stored.profile().isPresent() || !source.profile().isEmpty();
                if (profiled && !baseKeys.contains(asked)) {
                    findings.add(new Diagnostic(Diagnostic.Severity.WARNING, source.layer().label() + " " + source.name(), (source.profile().isEmpty() ? stored
                            : "%" + source.profile() + "." + stored) + " shadows nothing: no layer holds " + asked
                            + " without a profile; is it a typo?"));
                }
            }
        }
        if (profilesFromEnvironment) {
            for (String profile : layers.profiles()) {
                try {
                    if (!layers.defines(profile, view)) {
                        findings.add(new Diagnostic(Diagnostic.Severity.WARNING, profileVariable(), "names the profile " + profile
                                + ", which no layer defines (no %" + profile + ". keys, no " + profile + " profile file); is it a typo?"));
                    }
                } catch (WaterfallException e) {
                    // a layer that cannot be read is reported as such
                }
            }
        }
        return findings;
    }

    private void check(List<Diagnostic> findings, Resolved value, LayerStack.StoreView view) {
        Resolved expanded;
        try {
            expanded = interpolation.expand(value, false, key -> unresolved(key, view));
        } catch (WaterfallException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, value.origin().layer().label() + " " + value.origin().source(),
                    value.key() + ": " + e.getMessage()));
            return;
        }
        expanded.expansion().flatMap(Expansion::problem).ifPresent(problem -> findings.add(new Diagnostic(Diagnostic.Severity.ERROR,
                value.origin().layer().label() + " " + value.origin().source(), value.key() + ": " + problem)));
    }

    /**
     * The application's settings schema, when one is given ({@link Builder#schema(Path)} or
     * {@code <PREFIX>_SCHEMA}), loaded on first use by the {@link dev.waterfall.config.spi.SchemaProvider}
     * that {@link java.util.ServiceLoader} finds (module {@code dev.waterfall.config.schema}).
     *
     * @throws WaterfallException naming the schema if it cannot be read or no provider is installed
     */
    public Optional<dev.waterfall.config.spi.SettingsSchema> schema() {
        return schema.get();
    }

    /**
     * Every layer checked against the settings schema (none without one): each value that breaks a
     * rule, as an error naming the layer's source, and each key the schema does not know, as a
     * warning (a typo in a file is found like a typo in an environment variable). Environment
     * variables are checked for the keys the layers or the schema name.
     */
    public List<Diagnostic> schemaDiagnostics() {
        Optional<dev.waterfall.config.spi.SettingsSchema> found;
        try {
            found = schema.get();
        } catch (WaterfallException e) {
            return List.of(new Diagnostic(Diagnostic.Severity.ERROR, schema.source(), e.getMessage()));
        }
        if (found.isEmpty()) {
            return List.of();
        }
        dev.waterfall.config.spi.SettingsSchema settings = found.get();
        List<Diagnostic> findings = new ArrayList<>();
        Map<String, Map<Key, Value>> layers = new LinkedHashMap<>();
        try {
            Map<Key, Value> stored = new LinkedHashMap<>();
            store.snapshot().entries().forEach((key, entry) -> stored.put(key, entry.value()));
            layers.put("store " + store.location(), stored);
        } catch (WaterfallException e) {
            // the store's own diagnosis reports why it cannot be read
        }
        for (DocumentLayer layer : new DocumentLayer[] {system, defaults}) {
            if (layer != null) {
                try {
                    layers.put((layer == system ? "system " : "defaults ") + layer.source(), layer.document().values());
                } catch (WaterfallException e) {
                    // reported below as the layer's parse error
                }
            }
        }
        Set<Key> candidates = new TreeSet<>(settings.keys());
        layers.values().forEach(values -> candidates.addAll(values.keySet()));
        Map<Key, Value> fromEnvironment = new LinkedHashMap<>();
        for (Key key : candidates) {
            String variable = envVariable(key);
            String text = isReserved(variable) ? null : environment.get(variable);
            if (text != null) {
                Value literal = Value.parseLiteral(text);
                boolean asString = !(literal instanceof StringValue) && settings.check(Map.of(key, literal)).stream().anyMatch(v -> v.rule().equals("type"))
                        && settings.check(Map.of(key, new StringValue(text))).isEmpty();
                fromEnvironment.put(key, asString ? new StringValue(text) : literal);
            }
        }
        for (Map.Entry<Key, Value> entry : fromEnvironment.entrySet()) {
            for (SchemaViolation violation : settings.check(Map.of(entry.getKey(), entry.getValue()))) {
                findings.add(new Diagnostic(Diagnostic.Severity.ERROR, envVariable(entry.getKey()), violation.toString()));
            }
        }
        layers.forEach((source, values) -> {
            for (SchemaViolation violation : settings.check(values)) {
                if (!violation.rule().equals("additionalProperties")) {
                    findings.add(new Diagnostic(Diagnostic.Severity.ERROR, source, violation.toString()));
                }
            }
            for (Key key : values.keySet()) {
                if (!settings.knows(key)) {
                    findings.add(new Diagnostic(Diagnostic.Severity.WARNING, source, key + " is not in the settings schema "
                            + settings.location() + "; is it a typo?"));
                }
            }
        });
        return findings;
    }

    /** The variables of the keys the settings schema names; none without a schema or when it cannot be read. */
    private Set<String> schemaVariables() {
        Set<String> names = new TreeSet<>();
        try {
            schema.get().ifPresent(settings -> settings.keys().forEach(key -> names.add(envVariable(key))));
        } catch (WaterfallException e) {
            // schemaDiagnostics reports why
        }
        return names;
    }

    /**
     * Watches the resolved keys at and under {@code prefix} ({@code ""} for every key): after each
     * commit to the store by any process (the CLI, another program, a Python script following
     * docs/protocol.md), and after each edit of the system file or a defaults file on disk, the
     * listener receives the keys whose resolved value or origin changed, each with the old and new
     * {@link Resolved}. One call per commit, in commit order; none for a commit that changed nothing
     * under the prefix (or that an environment variable hides).
     *
     * <p>The listener runs on one daemon thread of this {@code Waterfall} ({@code waterfall-live APP}),
     * shared by all its watches, and should return quickly; one that throws does not stop the
     * others. The store is followed by its own notifications: the file system's for file stores
     * ({@link dev.waterfall.config.spi.FileWatch}), {@code LISTEN/NOTIFY} for PostgreSQL, the cheap
     * {@code PRAGMA data_version} check every 200 ms for SQLite. When several commits arrive
     * between two looks, those in between are rebuilt from the store's history, so each is still
     * reported on its own. A layer that cannot be read (a hand edit that broke the system file) is
     * logged, and once it reads again the difference is reported as one change; use
     * {@link #watch(String, java.util.function.Consumer, java.util.function.Consumer)} to be told
     * of the error. Every change after this returns is reported. Close the watch, or this
     * {@code Waterfall}, to stop.
     *
     * @throws InvalidKeyException       if {@code prefix} is neither empty nor a valid key
     * @throws StoreBrokenException      if the store cannot be read now
     * @throws StoreUnavailableException if the store cannot be reached now
     */
    public Watch watch(String prefix, java.util.function.Consumer<ConfigChange> listener) {
        return watch(prefix, listener, error -> System.getLogger(Waterfall.class.getName())
                .log(System.Logger.Level.WARNING, "watching " + (prefix.isEmpty() ? "every key" : prefix) + ": " + error.getMessage()));
    }

    /**
     * {@link #watch(String, java.util.function.Consumer)}, with {@code onError} told when a layer
     * cannot be read after a change (once per distinct error); the next readable change is
     * reported as usual.
     */
    public Watch watch(String prefix, java.util.function.Consumer<ConfigChange> listener,
                       java.util.function.Consumer<WaterfallException> onError) {
        return watches.register(prefix, listener, onError);
    }

    /**
     * The keys under {@code prefix} ({@code ""} for the whole configuration) as a {@code T}: a
     * record, an immutable class or a bean, each leaf from the layer that wins for it.
     * {@code ServerSettings server = config.bind("server", ServerSettings.class);} Needs the module
     * {@code dev.waterfall.config.binding} (artifact {@code dev.waterfall:config-binding}), found with
     * {@link java.util.ServiceLoader} on first use; its {@code Binder} also binds generic types.
     *
     * @param prefix the keys bound
     * @param type   the type built
     * @param <T>    the type built
     * @return the value
     * @throws WaterfallException  ({@code dev.waterfall.config.binding.BindingException}) listing every value
     *                             that cannot be used and every required key that is missing; also if
     *                             config-binding is not installed or a layer cannot be read
     * @throws InvalidKeyException if {@code prefix} is neither empty nor a valid key
     */
    public <T> T bind(String prefix, Class<T> type) {
        return binding.get(this).bind(prefix, type);
    }

    /**
     * A live {@code T} of the keys under {@code prefix}: bound now, and bound again after every
     * change of those keys by any writer (see {@link Live}). Close it to stop following. Needs
     * config-binding, as {@link #bind(String, Class)} does.
     *
     * @param prefix the keys followed
     * @param type   the type built
     * @param <T>    the type built
     * @return the live value
     * @throws WaterfallException  ({@code dev.waterfall.config.binding.BindingException}) if the keys cannot
     *                             be bound now; also if config-binding is not installed or a layer cannot be read now
     * @throws InvalidKeyException if {@code prefix} is neither empty nor a valid key
     */
    public <T> Live<T> live(String prefix, Class<T> type) {
        return binding.get(this).live(prefix, type);
    }

    /** Closes the watches, the store and every shared resource (pools, watch threads). */
    @Override
    public void close() {
        watches.close();
        try {
            store.close();
        } finally {
            context.services().close();
        }
    }

    /**
     * Builds a {@link Waterfall}. Every piece of the world is a parameter with the real one as
     * its default, so tests never touch the real environment, home or clock.
     */
    public static final class Builder {
        private final String app;
        private String envPrefix;
        private Map<String, String> environment = System.getenv();
        private Clock clock = Clock.systemUTC();
        private Path home = Path.of(System.getProperty("user.home"));
        private String osName = System.getProperty("os.name", "Linux");
        private ProcessIdentity identity;
        private String surface = "app";
        private StoreUri store;
        private Path systemFile;
        private URL defaultsResource;
        private Path defaultsFile;
        private Map<Key, Value> defaultValues;
        private final List<ConfigStoreProvider> providers = new ArrayList<>();
        private boolean discover = true;
        private ClassLoader classLoader = Waterfall.class.getClassLoader();
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();
        private SecretSource.Factory secrets;
        private SecretPolicy plaintextSecrets = SecretPolicy.refuseSecrets();
        private URL schema;
        private List<String> profiles;

        private Builder(String app) {
            this.app = app;
        }

        /** The environment variables; default {@link System#getenv()}. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** The environment prefix; default the application name upper-cased, e.g. {@code PIPELINE}. */
        public Builder envPrefix(String prefix) {
            if (!prefix.matches("[A-Z][A-Z0-9_]*")) {
                throw new InvalidValueException("invalid environment prefix \"" + prefix + "\": use upper-case letters, digits and '_'");
            }
            this.envPrefix = prefix;
            return this;
        }

        /** The time source for metadata, backups and history; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The user's home directory; default {@code user.home}. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** The operating system name, which picks the default store folder; default {@code os.name}. */
        public Builder operatingSystem(String osName) {
            this.osName = Objects.requireNonNull(osName, "osName");
            return this;
        }

        /** The user, host and pid writes are recorded with; default this process's. */
        public Builder identity(ProcessIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Which surface this program is, recorded with each write: {@code cli}, {@code gui}, a daemon's name. Default {@code app}. */
        public Builder surface(String surface) {
            this.surface = Objects.requireNonNull(surface, "surface");
            return this;
        }

        /**
         * The user's store, overriding {@code <PREFIX>_STORE} and the default JSON file.
         *
         * @throws InvalidValueException if the URI is malformed
         */
        public Builder store(String uri) {
            return store(StoreUri.parse(uri));
        }

        /** The user's store, overriding {@code <PREFIX>_STORE} and the default JSON file. */
        public Builder store(StoreUri uri) {
            this.store = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** The optional read-only system file, such as {@code /etc/pipeline/config.toml}; a missing file is an empty layer. */
        public Builder systemFile(Path file) {
            this.systemFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Shipped defaults from a resource of the program, e.g. {@code defaultsResource(Main.class, "/defaults.json")};
         * the extension picks the format.
         *
         * <p>On the module path a resource inside a package is encapsulated: keep the defaults at
         * the root of your module ({@code "/defaults.json"}), or look the resource up yourself and
         * pass its URL to {@link #defaultsResource(URL)}.
         *
         * @throws InvalidValueException if the resource is not found
         */
        public Builder defaultsResource(Class<?> anchor, String name) {
            URL url = anchor.getResource(name);
            if (url == null) {
                throw new InvalidValueException("the defaults resource " + name + " is not found next to " + anchor.getName()
                        + (anchor.getModule().isNamed() && !name.startsWith("/")
                        ? " (in a named module a resource inside a package is not visible to Waterfall: put it at the module's root, "
                                + "e.g. \"/" + name + "\", or pass " + anchor.getSimpleName() + ".class.getResource(\"" + name + "\"))"
                        : ""));
            }
            return defaultsResource(url);
        }

        /** Shipped defaults from a resource URL; the extension picks the format. */
        public Builder defaultsResource(URL resource) {
            clearDefaults();
            this.defaultsResource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /** Shipped defaults from a file (read, never written); the extension picks the format. */
        public Builder defaultsFile(Path file) {
            clearDefaults();
            this.defaultsFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Shipped defaults as a map from dotted keys to Java values (see {@link Value#ofJava}).
         *
         * @throws InvalidKeyException if a key is invalid
         */
        public Builder defaults(Map<String, ?> values) {
            clearDefaults();
            Map<Key, Value> converted = new LinkedHashMap<>();
            values.forEach((key, value) -> converted.put(Key.of(key), Value.ofJava(value)));
            this.defaultValues = converted;
            return this;
        }

        private void clearDefaults() {
            defaultsResource = null;
            defaultsFile = null;
            defaultValues = null;
        }

        /** Registers a store provider by hand; it wins over a discovered one for the same scheme. */
        public Builder provider(ConfigStoreProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Whether to discover providers with {@link java.util.ServiceLoader}; default {@code true}. */
        public Builder discoverProviders(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader providers are discovered through; default the one that loaded Waterfall. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Where the secrets that {@code ${secret:NAME}} values refer to are looked up when such a value
         * is read with {@link Waterfall#get(Key)}; default none (reading a reference is then an error).
         */
        public Builder secrets(SecretSource source) {
            Objects.requireNonNull(source, "source");
            this.secrets = (app, prefix, environment, folder) -> source;
            return this;
        }

        /**
         * As {@link #secrets(SecretSource)}, the source made by {@code factory} from this
         * configuration's app name, environment prefix, environment and folder when it is built:
         * {@code .secrets(Secrets::of)} reads the secrets where the command line keeps them.
         */
        public Builder secrets(SecretSource.Factory factory) {
            this.secrets = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The active profiles, overriding {@code <PREFIX>_PROFILE}: a profile's values ({@code %dev.} keys
         * in any layer, a {@code config.dev.json} beside the store or the system file) win over the
         * layer's own, the last profile named over the others (docs/references.md). None: no profile.
         *
         * @throws InvalidValueException naming a profile whose name is not one segment of ASCII letters, digits, '_' or '-'
         */
        public Builder profiles(String... names) {
            List<String> ordered = new ArrayList<>();
            for (String name : names) {
                if (!Key.isProfileName(name)) {
                    throw new InvalidValueException("invalid profile name \"" + dev.waterfall.config.spi.Echo.of(String.valueOf(name))
                            + "\": use ASCII letters, digits, '_' or '-'");
                }
                ordered.remove(name);
                ordered.add(name);
            }
            this.profiles = List.copyOf(ordered);
            return this;
        }

        /**
         * The application's settings schema (JSON Schema, draft 2020-12) in a file, overriding
         * {@code <PREFIX>_SCHEMA}: writes through this {@code Waterfall} that it rejects are refused
         * ({@link SchemaViolationException}) and {@link Waterfall#diagnose()} checks every layer
         * against it. Needs the module {@code dev.waterfall.config.schema}; read on first use.
         */
        public Builder schema(Path file) {
            try {
                this.schema = Objects.requireNonNull(file, "file").toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new InvalidValueException("the schema file " + file + " has no URL: " + e.getMessage(), e);
            }
            return this;
        }

        /** The settings schema from a resource of the program; see {@link #schema(Path)}. */
        public Builder schema(URL resource) {
            this.schema = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /**
         * Which keys that look like secrets the plaintext stores (JSON, TOML, NDJSON) may write;
         * default {@link SecretPolicy#refuseSecrets()}, none. See {@link SecretPolicy}.
         */
        public Builder plaintextSecrets(SecretPolicy policy) {
            this.plaintextSecrets = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Supplies the instance of a shared service the stores would otherwise create, e.g. the
         * durable-file kernel's file-system operations, to inject faults in a test.
         */
        public <T> Builder service(Class<T> type, T instance) {
            services.put(type, type.cast(Objects.requireNonNull(instance, "instance")));
            return this;
        }

        /**
         * Builds the configuration and opens the user's store. Nothing is created on disk.
         *
         * @throws UnknownStoreException if no provider handles the store's scheme
         * @throws StoreBrokenException  if the defaults cannot be parsed
         */
        public Waterfall open() {
            return new Waterfall(this);
        }
    }
}
