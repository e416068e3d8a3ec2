package dev.waterfall.config.internal;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.Value;
import dev.waterfall.config.spi.ParsedDocument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layers below the environment as one ordered list, highest first, that resolution,
 * {@code list}, {@code explain} and {@code doctor} all walk: the store, the system file and the
 * defaults, each preceded by its profiles' sources when profiles are active (the last profile named
 * first). The order is docs/references.md's: store (profile over base) > system file (profile over
 * base) > defaults (profile over base). A profile's sources in a layer are its {@code %<profile>.}
 * keys there, then (for the store and the system file) the file {@code <name>.<profile>.json} or
 * {@code .toml} beside it.
 *
 * <p>Immutable once built; the documents it reads are re-read when their files change.
 */
public final class LayerStack {

    /** What the store holds, as one read sees it: the store itself, or one snapshot of it. */
    public interface StoreView {
        /** The store's entry for {@code key}. */
        Optional<Entry> get(Key key);

        /** The store's keys (at or under the listing's prefix, when there is one). */
        Set<Key> keys();

        /** A view reading the store afresh for each key. */
        static StoreView of(ConfigStore store) {
            return new StoreView() {
                @Override
                public Optional<Entry> get(Key key) {
                    return store.get(key);
                }

                @Override
                public Set<Key> keys() {
                    return store.snapshot().entries().keySet();
                }
            };
        }

        /** A view of the store's one {@code entry} for {@code key}, as {@link ConfigStore#value} read it; no other key. */
        static StoreView of(Key key, Optional<Entry> entry) {
            return new StoreView() {
                @Override
                public Optional<Entry> get(Key asked) {
                    return asked.equals(key) ? entry : Optional.empty();
                }

                @Override
                public Set<Key> keys() {
                    return entry.isPresent() ? Set.of(key) : Set.of();
                }
            };
        }

        /** A view of one snapshot, its keys those at or under {@code root} (all when null). */
        static StoreView of(Snapshot snapshot, Key root) {
            return new StoreView() {
                @Override
                public Optional<Entry> get(Key key) {
                    return snapshot.get(key);
                }

                @Override
                public Set<Key> keys() {
                    return root == null ? snapshot.entries().keySet() : snapshot.under(root).keySet();
                }
            };
        }
    }

    /** One source of values below the environment. */
    public abstract static sealed class Source permits StoreSource, DocumentSource, ProfileFileSource {
        final Layer layer;
        final String profile;

        Source(Layer layer, String profile) {
            this.layer = layer;
            this.profile = profile;
        }

        /** The layer this source is a part of. */
        public Layer layer() {
            return layer;
        }

        /** The profile this source belongs to, or empty text for a layer's base values. */
        public String profile() {
            return profile;
        }

        /** The source as origins name it: the store's location, a file or resource. */
        public abstract String name();

        /** Whether the layer exists at all (no system file given, no defaults given). */
        public boolean configured() {
            return true;
        }

        /** The key as this source holds {@code key}: {@code %dev.key} for a profile's keys. */
        Key stored(Key key) {
            return profile.isEmpty() ? key : key.inProfile(profile);
        }

        /** {@code key}'s value here (a key of a profile is looked up only among base sources), or empty. */
        public abstract Optional<Resolved> find(Key key, StoreView store);

        /** Every key this source holds values for, as they are asked for ({@code %dev.} taken off for a profile's). */
        public abstract Set<Key> keys(StoreView store);

        /** Every value this source holds, by the key it is stored under, for {@code doctor}. */
        public abstract Map<Key, Value> values(StoreView store);

        /** The row of {@code explain} for {@code key}. */
        public Explanation.LayerValue row(Key key, StoreView store) {
            Optional<Resolved> found = key.profile().isPresent() && !profile.isEmpty() ? Optional.empty() : find(key, store);
            return new Explanation.LayerValue(layer, name(), configured(), found.map(Resolved::value),
                    found.map(resolved -> resolved.origin().line()).orElse(0), profile);
        }

        Set<Key> unprefixed(Set<Key> keys) {
            if (profile.isEmpty()) {
                return keys;
            }
            Set<Key> mine = new TreeSet<>();
            for (Key key : keys) {
                if (key.profile().filter(profile::equals).isPresent()) {
                    mine.add(key.withoutProfile());
                }
            }
            return mine;
        }
    }

    /** The user's store: its base keys, or one profile's {@code %p.} keys. */
    static final class StoreSource extends Source {
        private final ConfigStore store;

        StoreSource(ConfigStore store, String profile) {
            super(Layer.STORE, profile);
            this.store = store;
        }

        @Override
        public String name() {
            return store.location();
        }

        @Override
        public Optional<Resolved> find(Key key, StoreView view) {
            if (!profile.isEmpty() && key.profile().isPresent()) {
                return Optional.empty();
            }
            Optional<Entry> entry = view.get(stored(key));
            return entry.map(found -> new Resolved(key, found.value(), new Origin(layer, name(), found.line(), profile), entry));
        }

        @Override
        public Set<Key> keys(StoreView view) {
            return unprefixed(view.keys());
        }

        @Override
        public Map<Key, Value> values(StoreView view) {
            Map<Key, Value> values = new java.util.TreeMap<>();
            if (profile.isEmpty()) {
                store.snapshot().entries().forEach((key, entry) -> values.put(key, entry.value()));
            }
            return values;
        }
    }

    /** The system file or the defaults: base keys, or one profile's {@code %p.} keys. */
    static final class DocumentSource extends Source {
        private final DocumentLayer document;

        DocumentSource(Layer layer, DocumentLayer document, String profile) {
            super(layer, profile);
            this.document = document;
        }

        @Override
        public String name() {
            return document == null ? "" : document.source();
        }

        @Override
        public boolean configured() {
            return document != null;
        }

        @Override
        public Optional<Resolved> find(Key key, StoreView store) {
            if (document == null || (!profile.isEmpty() && key.profile().isPresent())) {
                return Optional.empty();
            }
            ParsedDocument parsed = document.document();
            Key stored = stored(key);
            Value value = parsed.values().get(stored);
            return value == null ? Optional.empty()
                    : Optional.of(new Resolved(key, value, new Origin(layer, name(), parsed.line(stored), profile), Optional.empty()));
        }

        @Override
        public Set<Key> keys(StoreView store) {
            return document == null ? Set.of() : unprefixed(document.document().values().keySet());
        }

        @Override
        public Map<Key, Value> values(StoreView store) {
            return document == null || !profile.isEmpty() ? Map.of() : document.document().values();
        }
    }

    /**
     * A profile's file beside the store or the system file: {@code config.dev.json} or
     * {@code config.dev.toml} beside {@code config.json}, read (never written) when it exists.
     */
    static final class ProfileFileSource extends Source {
        private final Path json;
        private final Path toml;
        private final Providers providers;
        private volatile DocumentLayer jsonLayer;
        private volatile DocumentLayer tomlLayer;

        ProfileFileSource(Layer layer, Path beside, String profile, Providers providers) {
            super(layer, profile);
            String name = beside.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            Path folder = beside.toAbsolutePath().getParent();
            this.json = folder.resolve(stem + "." + profile + ".json");
            this.toml = folder.resolve(stem + "." + profile + ".toml");
            this.providers = providers;
        }

        @Override
        public String name() {
            boolean hasToml = Files.exists(toml);
            return hasToml && !Files.exists(json) ? toml.toString() : json.toString();
        }

        /** The file's layer, or null when neither file exists. */
        private DocumentLayer file() {
            boolean hasJson = Files.exists(json);
            boolean hasToml = Files.exists(toml);
            if (hasJson && hasToml) {
                throw new WaterfallException("both " + json + " and " + toml + " exist for profile " + profile
                        + "; keep one of them");
            }
            if (hasJson) {
                DocumentLayer read = jsonLayer;
                return read != null ? read : (jsonLayer = DocumentLayer.ofFile(json, true, providers));
            }
            if (hasToml) {
                DocumentLayer read = tomlLayer;
                return read != null ? read : (tomlLayer = DocumentLayer.ofFile(toml, true, providers));
            }
            return null;
        }

        /** Whether the file exists. */
        boolean exists() {
            return Files.exists(json) || Files.exists(toml);
        }

        @Override
        public Optional<Resolved> find(Key key, StoreView store) {
            if (key.profile().isPresent()) {
                return Optional.empty();
            }
            DocumentLayer document = file();
            if (document == null) {
                return Optional.empty();
            }
            ParsedDocument parsed = document.document();
            Value value = parsed.values().get(key);
            return value == null ? Optional.empty()
                    : Optional.of(new Resolved(key, value, new Origin(layer, document.source(), parsed.line(key), profile), Optional.empty()));
        }

        @Override
        public Set<Key> keys(StoreView store) {
            DocumentLayer document = file();
            return document == null ? Set.of() : document.document().values().keySet();
        }

        @Override
        public Map<Key, Value> values(StoreView store) {
            DocumentLayer document = file();
            return document == null ? Map.of() : document.document().values();
        }
    }

    private final List<Source> sources;
    private final List<String> profiles;

    private LayerStack(List<Source> sources, List<String> profiles) {
        this.sources = List.copyOf(sources);
        this.profiles = List.copyOf(profiles);
    }

    /**
     * The stack for a store, an optional system file and optional defaults, with {@code profiles}
     * active (later wins).
     *
     * @param storeFile the store's file, beside which a profile's file may lie; null for a store of no file
     */
    public static LayerStack of(ConfigStore store, Path storeFile, DocumentLayer system, Path systemFile, DocumentLayer defaults,
            List<String> profiles, Providers providers) {
        List<String> winnersFirst = new ArrayList<>(profiles);
        Collections.reverse(winnersFirst);
        List<Source> sources = new ArrayList<>();
        for (String profile : winnersFirst) {
            sources.add(new StoreSource(store, profile));
            if (storeFile != null) {
                sources.add(new ProfileFileSource(Layer.STORE, storeFile, profile, providers));
            }
        }
        sources.add(new StoreSource(store, ""));
        if (system != null) {
            for (String profile : winnersFirst) {
                sources.add(new DocumentSource(Layer.SYSTEM, system, profile));
                sources.add(new ProfileFileSource(Layer.SYSTEM, systemFile, profile, providers));
            }
        }
        sources.add(new DocumentSource(Layer.SYSTEM, system, ""));
        if (defaults != null) {
            for (String profile : winnersFirst) {
                sources.add(new DocumentSource(Layer.DEFAULTS, defaults, profile));
            }
        }
        sources.add(new DocumentSource(Layer.DEFAULTS, defaults, ""));
        return new LayerStack(sources, profiles);
    }

    /** The sources, highest first. */
    public List<Source> sources() {
        return sources;
    }

    /** The active profiles, in the order named (the last wins). */
    public List<String> profiles() {
        return profiles;
    }

    /** The first value any source holds for {@code key}, and which source: the winner below the environment. */
    public Optional<Resolved> find(Key key, StoreView store) {
        for (Source source : sources) {
            Optional<Resolved> found = source.find(key, store);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Every key some source holds, as a listing shows it: a key of an active profile under its
     * own name ({@code %dev.port} as {@code port}), a key of another profile as it is stored.
     */
    public Set<Key> keys(StoreView store) {
        Set<Key> keys = new TreeSet<>();
        for (Source source : sources) {
            for (Key key : source.keys(store)) {
                if (key.profile().filter(profiles::contains).isEmpty()) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** Whether any source, of any layer, holds a value of {@code profile}: a {@code %profile.} key or a profile file. */
    public boolean defines(String profile, StoreView store) {
        for (Source source : sources) {
            if (source.profile().isEmpty()) {
                for (Key key : source.keys(store)) {
                    if (key.profile().filter(profile::equals).isPresent()) {
                        return true;
                    }
                }
            } else if (source.profile().equals(profile) && !source.keys(store).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
