package dev.waterfall.config;

import dev.waterfall.config.internal.DefaultLocations;
import dev.waterfall.config.internal.DocumentLayer;
import dev.waterfall.config.internal.EnvNames;
import dev.waterfall.config.internal.Providers;
import dev.waterfall.config.internal.SchemaSupport;
import dev.waterfall.config.spi.ConfigStoreProvider;
import dev.waterfall.config.spi.ParsedDocument;
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
    private final PrefixWatches watches;

    private Waterfall(Builder builder) {
        this.app = builder.app;
        this.envPrefix = builder.envPrefix != null ? builder.envPrefix : EnvNames.prefixFor(app);
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
        List<Path> layerFiles = new ArrayList<>();
        if (builder.systemFile != null) {
            layerFiles.add(builder.systemFile);
        }
        if (builder.defaultsResource == null && builder.defaultsFile != null) {
            layerFiles.add(builder.defaultsFile);
        }
        this.watches = new PrefixWatches(this, layerFiles);
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
        return Set.of(storeVariable(), envPrefix + "_SECRETS", envPrefix + "_SECRETS_FILE", envPrefix + "_SECRETS_PASSPHRASE",
                envPrefix + "_SCHEMA");
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
     * {@link Resolved#secret()}.
     *
     * @throws StoreBrokenException      if the store or a file layer cannot be parsed
     * @throws StoreUnavailableException if the store cannot be reached
     * @throws WaterfallException        if the value refers to a secret that cannot be had
     */
    public Optional<Resolved> get(Key key) {
        return resolveReference(unresolved(key));
    }

    /**
     * The value {@link #get(Key)} resolves {@code key} to, the same layers and secret references,
     * without the store's metadata of the entry (revision, time, author), which a store need not
     * read for it ({@link ConfigStore#value}): for readers that want only the value, such as a
     * plain {@code waterfall get}.
     *
     * @throws StoreBrokenException      if the store or a file layer cannot be parsed
     * @throws StoreUnavailableException if the store cannot be reached
     * @throws WaterfallException        if the value refers to a secret that cannot be had
     */
    public Optional<Value> value(Key key) {
        Optional<Entry> stored = store.value(key).map(value -> new Entry(key, value, Entry.UNRECORDED, Instant.EPOCH, Actor.EXTERNAL, 0));
        return resolveReference(unresolved(key, stored)).map(Resolved::value); // the made-up metadata never leaves
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

    /** The winning value of {@code key}, a secret reference left as it is. */
    private Optional<Resolved> unresolved(Key key) {
        return unresolved(key, store.get(key));
    }

    /** The winning value of {@code key} given the store's {@code entry} for it, a secret reference left as it is. */
    private Optional<Resolved> unresolved(Key key, Optional<Entry> entry) {
        String variable = envVariable(key);
        String envText = envText(variable);
        if (envText == null && entry.isPresent()) {
            Entry stored = entry.get();
            return Optional.of(new Resolved(key, stored.value(), new Origin(Layer.STORE, store.location(), stored.line()), entry));
        }
        Optional<Resolved> lower = entry.map(stored -> new Resolved(key, stored.value(), new Origin(Layer.STORE, store.location(), stored.line()), entry))
                .or(() -> fromDocument(key, system, Layer.SYSTEM))
                .or(() -> fromDocument(key, defaults, Layer.DEFAULTS));
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

    private static Optional<Resolved> fromDocument(Key key, DocumentLayer layer, Layer kind) {
        if (layer == null) {
            return Optional.empty();
        }
        ParsedDocument document = layer.document();
        Value value = document.values().get(key);
        return value == null ? Optional.empty()
                : Optional.of(new Resolved(key, value, new Origin(kind, layer.source(), document.line(key)), Optional.empty()));
    }

    /**
     * Resolves every key that the store, the system file or the defaults know (an environment
     * variable alone cannot name a key), sorted by key. A {@code ${secret:NAME}} value is left as
     * that reference: a listing never opens the secrets.
     */
    public List<Resolved> list() {
        Set<Key> keys = new TreeSet<>(store.snapshot().entries().keySet());
        if (system != null) {
            keys.addAll(system.document().values().keySet());
        }
        if (defaults != null) {
            keys.addAll(defaults.document().values().keySet());
        }
        List<Resolved> resolved = new ArrayList<>(keys.size());
        for (Key key : keys) {
            unresolved(key).ifPresent(resolved::add);
        }
        return resolved;
    }

    /**
     * Resolves every key at or under {@code prefix} ({@code ""} for all) that the store, the system
     * file or the defaults know, sorted by key, against one snapshot of the store: what a
     * {@code Binder} reads to build a typed object, in one read of the store however many keys
     * there are. A {@code ${secret:NAME}} value is left as that reference.
     *
     * @throws InvalidKeyException if {@code prefix} is neither empty nor a valid key
     */
    public List<Resolved> list(String prefix) {
        return list(prefix, store.snapshot());
    }

    /** {@link #list(String)} against a given snapshot of the store (for watches, which read the store once for every prefix). */
    List<Resolved> list(String prefix, Snapshot snapshot) {
        Key root = prefix.isEmpty() ? null : Key.of(prefix);
        Set<Key> keys = new TreeSet<>(root == null ? snapshot.entries().keySet() : snapshot.under(root).keySet());
        for (DocumentLayer layer : new DocumentLayer[] {system, defaults}) {
            if (layer != null) {
                for (Key key : layer.document().values().keySet()) {
                    if (root == null || key.isWithin(root)) {
                        keys.add(key);
                    }
                }
            }
        }
        List<Resolved> resolved = new ArrayList<>(keys.size());
        for (Key key : keys) {
            unresolved(key, snapshot.get(key)).ifPresent(resolved::add);
        }
        return resolved;
    }

    /** Explains {@code key}; see {@link #explain(Key)}. */
    public Explanation explain(String key) {
        return explain(Key.of(key));
    }

    /**
     * Every layer's value for {@code key}, the winner, and the exact environment variable name. A
     * {@code ${secret:NAME}} value is left as that reference.
     */
    public Explanation explain(Key key) {
        return explain(key, store.get(key));
    }

    /**
     * {@link #explain(Key)} of every key that the store, the system file or the defaults know,
     * sorted by key, against one snapshot of the store: what a settings page shows, in one read of
     * the store however many keys there are (the console's key list: 10,000 keys took seconds as
     * 10,000 {@code explain} calls, each reading the store).
     */
    public List<Explanation> explainAll() {
        Snapshot snapshot = store.snapshot();
        Set<Key> keys = new TreeSet<>(snapshot.entries().keySet());
        for (DocumentLayer layer : new DocumentLayer[] {system, defaults}) {
            if (layer != null) {
                keys.addAll(layer.document().values().keySet());
            }
        }
        List<Explanation> explanations = new ArrayList<>(keys.size());
        for (Key key : keys) {
            explanations.add(explain(key, snapshot.get(key)));
        }
        return explanations;
    }

    private Explanation explain(Key key, Optional<Entry> entry) {
        String variable = envVariable(key);
        String envText = envText(variable);
        List<Explanation.LayerValue> layers = new ArrayList<>(4);
        layers.add(new Explanation.LayerValue(Layer.ENV, variable, !variable.isEmpty(),
                Optional.ofNullable(envText).map(text -> (Value) new StringValue(text)), 0));
        layers.add(new Explanation.LayerValue(Layer.STORE, store.location(), true, entry.map(Entry::value),
                entry.map(Entry::line).orElse(0)));
        layers.add(documentLayer(key, system, Layer.SYSTEM));
        layers.add(documentLayer(key, defaults, Layer.DEFAULTS));
        return new Explanation(key, variable, layers, unresolved(key, entry));
    }

    private static Explanation.LayerValue documentLayer(Key key, DocumentLayer layer, Layer kind) {
        if (layer == null) {
            return new Explanation.LayerValue(kind, "", false, Optional.empty(), 0);
        }
        ParsedDocument document = layer.document();
        return new Explanation.LayerValue(kind, layer.source(), true, Optional.ofNullable(document.values().get(key)), document.line(key));
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
