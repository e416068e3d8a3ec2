package dev.waterfall.file;

import com.fasterxml.jackson.core.JsonFactory;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Backup;
import dev.waterfall.config.Backups;
import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.KeyTree;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.file.internal.BackupDirectory;
import dev.waterfall.file.internal.Hashes;
import dev.waterfall.file.internal.HistoryLog;
import dev.waterfall.file.internal.Meta;
import dev.waterfall.file.internal.Modes;
import dev.waterfall.file.internal.Stamp;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link ConfigStore} kept in one plain file that people can read and edit, by the protocol of
 * DESIGN.md section 5. The format is a {@link DocumentCodec}'s; everything else is here:
 *
 * <ul>
 *   <li><b>Writes</b> take the lock ({@link FileLocks}), re-read the file, apply the batch key by key
 *       (so concurrent writers of other keys lose nothing), check that the codec's output reads back
 *       as intended, keep the current version in {@code backups/}, write a temp file, fsync it,
 *       rename it over the file and fsync the folder. Only then is the write acknowledged.</li>
 *   <li><b>Reads</b> take no lock and are always fresh: the file is stat'ed and reparsed only when it
 *       changed.</li>
 *   <li><b>Metadata and history</b> live beside the file ({@code <file>.meta.json},
 *       {@code <file>.history.ndjson}), so the file itself stays clean. They are written after the
 *       commit point and not fsynced: a change made outside Waterfall (a hand edit, a script following
 *       the lock protocol, or a write whose metadata a power cut lost) is noticed by its value and
 *       recorded as an {@linkplain Actor#EXTERNAL external} change with a new revision.</li>
 *   <li><b>A broken file</b> is an error naming path, line and column; no write replaces it;
 *       {@link #backups()} restores the newest valid version and moves the broken file aside.</li>
 * </ul>
 *
 * <p>Nothing is created by opening or reading: the folder (0700) and file (0600) appear with the first
 * write. A replaced file keeps its mode. Network file systems are not supported (rename is not
 * atomic across NFS clients). Thread-safe.
 */
public final class FileStore implements ConfigStore {

    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    /**
     * Tuning of a file store.
     *
     * @param backupsToKeep   backups kept in {@code backups/} (at least 1)
     * @param lockTimeout     how long a write waits for the lock
     * @param historyMaxBytes the history file is trimmed to half once it grows past this
     */
    public record Options(int backupsToKeep, Duration lockTimeout, long historyMaxBytes) {
        /** 20 backups, 30 s lock timeout, 8 MiB of history. */
        public static final Options DEFAULTS = new Options(20, Duration.ofSeconds(30), 8L << 20);

        public Options {
            if (backupsToKeep < 1) {
                throw new IllegalArgumentException("keep at least one backup, not " + backupsToKeep);
            }
            Objects.requireNonNull(lockTimeout, "lockTimeout");
        }

        /** These options with another number of backups to keep. */
        public Options withBackupsToKeep(int keep) {
            return new Options(keep, lockTimeout, historyMaxBytes);
        }
    }

    private final Path configured;
    private final DocumentCodec codec;
    private final StoreContext context;
    private final Options options;
    private final FileOps ops;
    private final FileLocks locks;
    private final JsonFactory json = new JsonFactory();
    private volatile State state;

    /** One version of the file, parsed, with the metadata that goes with it. */
    private record State(Stamp dataStamp, Stamp metaStamp, Document document, Meta meta, String dataSha, View view,
                         StoreBrokenException broken) {
        boolean clean() {
            return broken == null && view.external().isEmpty();
        }
    }

    /**
     * The entries as readers see them, after matching the file against its metadata.
     *
     * @param external keys whose values changed outside Waterfall (set or removed), not yet recorded
     */
    private record View(NavigableMap<Key, Entry> entries, long revision, Map<Key, Optional<Value>> external) {
    }

    private FileStore(Path file, DocumentCodec codec, StoreContext context, Options options) {
        this.configured = file.toAbsolutePath().normalize();
        this.codec = codec;
        this.context = context;
        this.options = options;
        this.ops = context.services().get(FileOps.class, FileOps::real);
        this.locks = context.services().get(FileLocks.class, FileLocks::new);
    }

    /**
     * Opens the store kept in {@code file}. Nothing is read or created until it is used.
     */
    public static FileStore open(Path file, DocumentCodec codec, StoreContext context, Options options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        return new FileStore(file, codec, context, options);
    }

    /**
     * Opens the store a file-store URI names: {@code scheme:PATH} (also {@code scheme:///PATH}),
     * where {@code PATH} may start with {@code ~/}, optionally followed by {@code ?backups=N} (how
     * many backups to keep, default 20). Every file backend reads its URIs this way.
     *
     * @throws dev.waterfall.config.InvalidValueException naming the URI if it names no file or has an unknown option
     */
    public static FileStore open(dev.waterfall.config.StoreUri uri, DocumentCodec codec, StoreContext context) {
        String rest = uri.rest();
        Options options = Options.DEFAULTS;
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                String[] pair = parameter.split("=", 2);
                if (pair[0].equals("backups") && pair.length == 2) {
                    try {
                        options = options.withBackupsToKeep(Integer.parseInt(pair[1]));
                    } catch (IllegalArgumentException e) {
                        throw new dev.waterfall.config.InvalidValueException("store " + uri + ": backups must be a whole number of at least 1, not " + pair[1]);
                    }
                } else if (!parameter.isEmpty()) {
                    throw new dev.waterfall.config.InvalidValueException("store " + uri + ": unknown option \"" + pair[0] + "\"; the only option is backups=N");
                }
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new dev.waterfall.config.InvalidValueException("store " + uri + " names no file; write it as "
                    + uri.scheme() + ":/path/to/config." + codec.extension());
        }
        return open(context.resolvePath(rest), codec, context, options);
    }

    /** The file, as configured. */
    public Path file() {
        return configured;
    }

    @Override
    public String location() {
        return codec.extension() + ":" + configured;
    }

    /**
     * The file actually written: the configured path, or the target of a symbolic link there (so a
     * dotfile managed as a link stays a link).
     */
    private Path dataPath() {
        try {
            if (Files.isSymbolicLink(configured)) {
                return configured.toRealPath();
            }
        } catch (IOException e) {
            // a dangling link: write where it points
            try {
                Path target = Files.readSymbolicLink(configured);
                return configured.resolveSibling(target).normalize();
            } catch (IOException ignored) {
                return configured;
            }
        }
        return configured;
    }

    private static Path sidecar(Path data, String suffix) {
        return data.resolveSibling(data.getFileName() + suffix);
    }

    private static Path lockPath(Path data) {
        return sidecar(data, ".lock");
    }

    private static Path metaPath(Path data) {
        return sidecar(data, ".meta.json");
    }

    private HistoryLog history(Path data) {
        return new HistoryLog(sidecar(data, ".history.ndjson"), ops, json);
    }

    private BackupDirectory backupDirectory(Path data) {
        return new BackupDirectory(data, ops, context.clock(), options.backupsToKeep());
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Optional<Entry> get(Key key) {
        return Optional.ofNullable(readable().view().entries().get(key));
    }

    @Override
    public Snapshot snapshot() {
        View view = readable().view();
        return new Snapshot(view.revision(), view.entries());
    }

    private State readable() {
        State current = current(dataPath());
        if (current.broken() != null) {
            throw current.broken();
        }
        return current;
    }

    /** The current state, reparsing only what changed since the last look. */
    private State current(Path data) {
        try {
            Stamp stamp = Stamp.of(data);
            State cached = state;
            if (cached != null && cached.dataStamp().sameAs(stamp)) {
                if (cached.clean() || cached.broken() != null) {
                    return cached;
                }
                Stamp metaStamp = Stamp.of(metaPath(data));
                if (metaStamp.sameAs(cached.metaStamp())) {
                    return cached;
                }
            }
            State loaded = load(data);
            state = loaded;
            return loaded;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + data + ": " + e.getMessage(), e);
        }
    }

    private State load(Path data) throws IOException {
        byte[] bytes = null;
        Stamp stamp = Stamp.ABSENT;
        for (int attempt = 0; ; attempt++) {
            Stamp before = Stamp.of(data);
            if (!before.exists()) {
                stamp = before;
                bytes = null;
                break;
            }
            try {
                bytes = ops.readAllBytes(data);
            } catch (NoSuchFileException e) {
                continue; // replaced between stat and read: look again
            }
            Stamp after = Stamp.of(data);
            if (before.sameAs(after) || attempt >= 10) {
                stamp = after;
                break;
            }
        }
        Stamp metaStamp = Stamp.of(metaPath(data));
        Meta meta = readMeta(data);
        if (bytes == null) {
            View view = reconcile(Map.of(), null, meta, "", Instant.now(context.clock()));
            return new State(stamp, metaStamp, null, meta, "", view, null);
        }
        Document document;
        try {
            document = codec.parse(bytes, data.toString());
        } catch (StoreBrokenException e) {
            StoreBrokenException broken = new StoreBrokenException(e.source(), e.line().orElse(0), e.column().orElse(0),
                    stripSource(e) + "; nothing was changed and no write will replace the file: fix it by hand, or run "
                            + "`waterfall backups restore` to restore the newest valid backup (the broken file is kept aside)", e);
            return new State(stamp, metaStamp, null, meta, "", new View(Collections.emptyNavigableMap(), meta.revision(), Map.of()), broken);
        }
        String sha = Hashes.sha256(bytes);
        View view = reconcile(document.values(), document, meta, sha, stamp.modified().toInstant());
        return new State(stamp, metaStamp, document, meta, sha, view, null);
    }

    private static String stripSource(StoreBrokenException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ", e.source().length());
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    private Meta readMeta(Path data) throws IOException {
        Path metaFile = metaPath(data);
        byte[] content;
        try {
            content = ops.readAllBytes(metaFile);
        } catch (NoSuchFileException e) {
            return rebuildMeta(data, false);
        }
        try {
            return Meta.parse(content, json);
        } catch (IOException e) {
            LOG.log(Level.WARNING, metaFile + " is unreadable (" + e.getMessage() + "); rebuilding metadata from the history");
            return rebuildMeta(data, true);
        }
    }

    /**
     * Metadata recovered from the history when the sidecar is missing or unreadable: the store
     * revision and each key's last recorded change. The data-file hash is unknown, so each value is
     * matched by fingerprint.
     */
    private Meta rebuildMeta(Path data, boolean wasBroken) throws IOException {
        List<HistoryRecord> records = history(data).readAll();
        if (records.isEmpty()) {
            return Meta.EMPTY;
        }
        long revision = 0;
        Map<Key, Meta.KeyMeta> entries = new HashMap<>();
        for (HistoryRecord record : records) {
            revision = Math.max(revision, record.revision());
            if (record.newValue().isPresent()) {
                entries.put(record.key(), new Meta.KeyMeta(record.revision(), record.at(), record.by(), Hashes.valueHash(record.newValue().get())));
            } else {
                entries.remove(record.key());
            }
        }
        if (wasBroken) {
            LOG.log(Level.INFO, "rebuilt metadata of " + data + " at revision " + revision + " from " + records.size() + " history records");
        }
        return new Meta(revision, "", entries);
    }

    /**
     * Matches the file's values against the metadata. A key whose value's fingerprint differs from
     * the metadata's (or that the metadata lacks) changed outside Waterfall; so did a key the
     * metadata has but the file lacks. All such changes count as one revision after the metadata's,
     * which is exactly the revision the next writer records them at.
     */
    private View reconcile(Map<Key, Value> values, Document document, Meta meta, String sha, Instant fileTime) {
        boolean exact = !sha.isEmpty() && sha.equals(meta.dataSha256());
        long externalRevision = meta.revision() + 1;
        NavigableMap<Key, Entry> entries = new TreeMap<>();
        Map<Key, Optional<Value>> external = new LinkedHashMap<>();
        for (Map.Entry<Key, Value> leaf : values.entrySet()) {
            Key key = leaf.getKey();
            Value value = leaf.getValue();
            int line = document == null ? 0 : document.line(key);
            Meta.KeyMeta known = meta.entries().get(key);
            if (known != null && (exact || known.valueHash().equals(Hashes.valueHash(value)))) {
                entries.put(key, new Entry(key, value, known.revision(), known.updatedAt(), known.updatedBy(), line));
            } else {
                entries.put(key, new Entry(key, value, externalRevision, fileTime, Actor.EXTERNAL, line));
                external.put(key, Optional.of(value));
            }
        }
        for (Key key : meta.entries().keySet()) {
            if (!values.containsKey(key)) {
                external.put(key, Optional.empty());
            }
        }
        long revision = external.isEmpty() ? meta.revision() : externalRevision;
        return new View(Collections.unmodifiableNavigableMap(entries), revision, Collections.unmodifiableMap(external));
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Commit apply(List<? extends Change> changes) {
        List<Change> batch = List.copyOf(changes);
        if (batch.isEmpty()) {
            return new Commit(snapshot().revision(), List.of(), List.of());
        }
        Map<Key, Optional<Value>> normalized = new LinkedHashMap<>();
        for (Change change : batch) {
            if (change instanceof Change.Set set) {
                normalized.put(set.key(), Optional.of(normalize(set.key(), set.value())));
            }
        }
        Path data = dataPath();
        return locked(data, "write", () -> write(data, batch, normalized));
    }

    private Value normalize(Key key, Value value) {
        try {
            return codec.normalize(value);
        } catch (dev.waterfall.config.InvalidValueException e) {
            throw new dev.waterfall.config.InvalidValueException("cannot set " + key + " in " + configured + ": " + e.getMessage(), e);
        }
    }

    private <T> T locked(Path data, String what, FileLocks.LockedAction<T> action) {
        try {
            ensureFolder(data.getParent());
            return locks.withLock(lockPath(data), options.lockTimeout(), action);
        } catch (AtomicFile.UnsyncedRenameException e) {
            throw new StoreUnavailableException(e.getMessage() + "; the new content is in place but may not survive a power cut", e);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot " + what + " " + data + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    private Commit write(Path data, List<Change> batch, Map<Key, Optional<Value>> normalized) throws IOException {
        State current = current(data);
        if (current.broken() != null) {
            throw current.broken();
        }
        View view = current.view();
        Map<Key, Value> values = current.document() == null ? Map.of() : current.document().values();

        // Apply the batch to a working copy, checking revisions and the leaf rule as we go.
        TreeSet<Key> keys = new TreeSet<>(values.keySet());
        Map<Key, Optional<Value>> touched = new LinkedHashMap<>();
        for (Change change : batch) {
            Key key = change.key();
            if (change.expectedRevision() != Change.ANY) {
                Entry entry = view.entries().get(key);
                long actual = entry == null ? Change.ABSENT : entry.revision();
                if (actual != change.expectedRevision()) {
                    throw new RevisionConflictException(key, change.expectedRevision(), actual);
                }
            }
            if (change instanceof Change.Set) {
                keys.remove(key);
                KeyTree.checkSettable(keys, key);
                keys.add(key);
                touched.put(key, normalized.get(key));
            } else {
                keys.remove(key);
                touched.put(key, Optional.empty());
            }
        }
        List<Edit> edits = new ArrayList<>();
        for (Map.Entry<Key, Optional<Value>> change : touched.entrySet()) {
            Value before = values.get(change.getKey());
            Value after = change.getValue().orElse(null);
            if (!Objects.equals(before, after)) {
                edits.add(new Edit(change.getKey(), change.getValue()));
            }
        }
        if (edits.isEmpty() && view.external().isEmpty()) {
            return new Commit(view.revision(), List.of(), List.of());
        }

        Instant now = Instant.now(context.clock());
        long revision = edits.isEmpty() ? view.revision() : view.revision() + 1;
        List<HistoryRecord> records = new ArrayList<>(externalRecords(data, current, now));
        Map<Key, Meta.KeyMeta> metaEntries = new HashMap<>(current.meta().entries());
        metaEntries.keySet().retainAll(view.entries().keySet());
        for (Map.Entry<Key, Optional<Value>> change : view.external().entrySet()) {
            Entry entry = view.entries().get(change.getKey());
            if (entry != null) {
                metaEntries.put(entry.key(), new Meta.KeyMeta(entry.revision(), entry.updatedAt(), entry.updatedBy(), Hashes.valueHash(entry.value())));
            }
        }

        Document written = current.document();
        byte[] bytes = null;
        if (!edits.isEmpty()) {
            bytes = codec.edit(current.document(), edits);
            written = verify(data, bytes, values, edits);
            for (Edit edit : edits) {
                records.add(new HistoryRecord(revision, now, context.actor(), edit.key(), Optional.ofNullable(values.get(edit.key())), edit.value()));
                if (edit.isRemove()) {
                    metaEntries.remove(edit.key());
                } else {
                    metaEntries.put(edit.key(), new Meta.KeyMeta(revision, now, context.actor(), Hashes.valueHash(edit.value().get())));
                }
            }
            AtomicFile.cleanOrphans(ops, data);
            BackupDirectory backups = backupDirectory(data);
            try (AtomicFile file = AtomicFile.begin(ops, data)) {
                file.write(ByteBuffer.wrap(bytes));
                if (current.dataStamp().exists()) {
                    backups.take(data);
                }
                file.commit();
            }
            try {
                backups.prune();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not prune old backups in " + backups.folder() + ": " + e.getMessage());
            }
        }

        String sha = bytes == null ? current.dataSha() : Hashes.sha256(bytes);
        Meta meta = new Meta(revision, sha, metaEntries);
        afterCommit(data, meta, records);

        Stamp stamp = Stamp.of(data);
        View newView = reconcile(written == null ? Map.of() : written.values(), written, meta, sha, now);
        state = new State(stamp, Stamp.of(metaPath(data)), written, meta, sha, newView, null);

        List<Entry> entries = new ArrayList<>();
        List<Key> removed = new ArrayList<>();
        for (Edit edit : edits) {
            if (edit.isRemove()) {
                removed.add(edit.key());
            } else {
                entries.add(newView.entries().get(edit.key()));
            }
        }
        return new Commit(revision, entries, removed);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The file gets every entry's value (in this format's form, see {@link DocumentCodec#normalize}),
     * the metadata sidecar gets each entry's revision, time and author, and the history file gets
     * {@code history}. Like every write it takes the lock, keeps a backup of an existing (empty)
     * file, and replaces the file atomically and durably; the metadata and history follow the
     * commit point, as they do for every write.
     */
    @Override
    public boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(history, "history");
        if (revision < 0) {
            throw new IllegalArgumentException("a store revision is never negative, was " + revision);
        }
        List<Edit> edits = new ArrayList<>();
        Map<Key, Meta.KeyMeta> metaEntries = new HashMap<>();
        TreeSet<Key> keys = new TreeSet<>();
        while (entries.hasNext()) {
            Entry entry = entries.next();
            checkRevision(revision, entry.revision(), entry.key());
            Value value = normalize(entry.key(), entry.value());
            KeyTree.checkSettable(keys, entry.key());
            if (!keys.add(entry.key())) {
                throw new IllegalArgumentException("the copy holds " + entry.key() + " twice");
            }
            edits.add(Edit.put(entry.key(), value));
            metaEntries.put(entry.key(), new Meta.KeyMeta(entry.revision(), entry.updatedAt(), entry.updatedBy(), Hashes.valueHash(value)));
        }
        List<HistoryRecord> records = new ArrayList<>();
        while (history.hasNext()) {
            HistoryRecord record = history.next();
            checkRevision(revision, record.revision(), record.key());
            records.add(record);
        }
        Path data = dataPath();
        if (revision == 0 && edits.isEmpty() && records.isEmpty()) {
            checkNew(data, readable()); // a copy of a store never written: this one stays unwritten too
            return true;
        }
        locked(data, "load a copy into", () -> {
            State current = current(data);
            if (current.broken() != null) {
                throw current.broken();
            }
            checkNew(data, current);
            Map<Key, Value> before = current.document() == null ? Map.of() : current.document().values();
            byte[] bytes = codec.edit(current.document(), edits);
            Document written = verify(data, bytes, before, edits);
            AtomicFile.cleanOrphans(ops, data);
            BackupDirectory backups = backupDirectory(data);
            try (AtomicFile file = AtomicFile.begin(ops, data)) {
                file.write(ByteBuffer.wrap(bytes));
                if (current.dataStamp().exists()) {
                    backups.take(data);
                }
                file.commit();
            }
            String sha = Hashes.sha256(bytes);
            Meta meta = new Meta(revision, sha, metaEntries);
            afterCommit(data, meta, records);
            View view = reconcile(written.values(), written, meta, sha, Instant.now(context.clock()));
            state = new State(Stamp.of(data), Stamp.of(metaPath(data)), written, meta, sha, view, null);
            return null;
        });
        return true;
    }

    private static void checkNew(Path data, State current) {
        if (current.view().revision() != 0 || !current.view().entries().isEmpty()) {
            throw new WaterfallException("cannot load a copy into " + data + ": it has been written before (revision "
                    + current.view().revision() + "), and a copy keeps its own revisions; load it into a new store, "
                    + "or copy the values with ordinary writes");
        }
    }

    private static void checkRevision(long storeRevision, long revision, Key key) {
        if (revision < 1 || revision > storeRevision) {
            throw new IllegalArgumentException("revision " + revision + " of " + key + " is outside 1.." + storeRevision
                    + ", the copy's store revision");
        }
    }

    /** History records for the external changes a write is about to make official. */
    private List<HistoryRecord> externalRecords(Path data, State current, Instant now) throws IOException {
        Map<Key, Optional<Value>> external = current.view().external();
        if (external.isEmpty()) {
            return List.of();
        }
        Map<Key, Value> lastKnown = new HashMap<>();
        for (HistoryRecord record : history(data).readAll()) {
            if (external.containsKey(record.key())) {
                if (record.newValue().isPresent()) {
                    lastKnown.put(record.key(), record.newValue().get());
                } else {
                    lastKnown.remove(record.key());
                }
            }
        }
        long revision = current.view().revision();
        Instant at = current.dataStamp().exists() ? current.dataStamp().modified().toInstant() : now;
        List<HistoryRecord> records = new ArrayList<>();
        for (Map.Entry<Key, Optional<Value>> change : external.entrySet()) {
            records.add(new HistoryRecord(revision, at, Actor.EXTERNAL, change.getKey(),
                    Optional.ofNullable(lastKnown.get(change.getKey())), change.getValue()));
        }
        return records;
    }

    /**
     * Parses what the codec produced and checks it holds exactly the intended values, so a codec
     * bug can never reach the disk.
     */
    private Document verify(Path data, byte[] bytes, Map<Key, Value> before, List<Edit> edits) {
        Map<Key, Value> expected = new HashMap<>(before);
        for (Edit edit : edits) {
            if (edit.isRemove()) {
                expected.remove(edit.key());
            } else {
                expected.put(edit.key(), edit.value().get());
            }
        }
        Document reread;
        try {
            reread = codec.parse(bytes, data.toString());
        } catch (StoreBrokenException e) {
            throw new WaterfallException("internal error: the " + codec.formatName() + " writer produced a file that does not parse ("
                    + e.getMessage() + "); nothing was written. Please report this with the file and the change", e);
        }
        if (!reread.values().equals(expected)) {
            Key differing = null;
            for (Key key : new TreeSet<>(unionKeys(expected, reread.values()))) {
                if (!Objects.equals(expected.get(key), reread.values().get(key))) {
                    differing = key;
                    break;
                }
            }
            throw new WaterfallException("internal error: the " + codec.formatName() + " writer produced a file in which " + differing
                    + " reads back as " + reread.values().get(differing) + " instead of " + expected.get(differing)
                    + "; nothing was written. Please report this with the file and the change");
        }
        return reread;
    }

    private static Set<Key> unionKeys(Map<Key, Value> a, Map<Key, Value> b) {
        Set<Key> union = new TreeSet<>(a.keySet());
        union.addAll(b.keySet());
        return union;
    }

    /** Writes the metadata and history after the commit point; their failure loses no value. */
    private void afterCommit(Path data, Meta meta, List<HistoryRecord> records) {
        try {
            AtomicFile.replaceWithoutSync(ops, metaPath(data), meta.render());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the write to " + data + " is durable, but its metadata could not be written ("
                    + e.getMessage() + "); the change will be recorded as external");
        }
        HistoryLog history = history(data);
        try {
            history.append(records);
            history.trim(options.historyMaxBytes());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the write to " + data + " is durable, but its history could not be appended: " + e.getMessage());
        }
    }

    /** Creates the folder and any missing parents, each 0700, exactly as the first write needs them. */
    private void ensureFolder(Path folder) throws IOException {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        ensureFolder(folder.getParent());
        try {
            ops.createDirectory(folder, Modes.DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new IOException(folder + " exists and is not a folder", e);
            }
        }
    }

    // ---------------------------------------------------------------- history, backups, health

    @Override
    public List<HistoryRecord> history(HistoryQuery query) {
        Path data = dataPath();
        try {
            return history(data).read(query);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the history of " + data + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Backups> backups() {
        return Optional.of(new FileBackups());
    }

    private final class FileBackups implements Backups {

        @Override
        public List<Backup> list() {
            Path data = dataPath();
            try {
                List<Backup> result = new ArrayList<>();
                for (BackupDirectory.BackupFile file : backupDirectory(data).list()) {
                    result.add(describe(file));
                }
                return result;
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot list the backups of " + data + ": " + e.getMessage(), e);
            }
        }

        private Backup describe(BackupDirectory.BackupFile file) {
            Optional<String> problem;
            try {
                codec.parse(ops.readAllBytes(file.path()), file.path().toString());
                problem = Optional.empty();
            } catch (StoreBrokenException e) {
                problem = Optional.of(e.getMessage());
            } catch (IOException e) {
                problem = Optional.of("cannot read it: " + e.getMessage());
            }
            return new Backup(file.name(), file.path().toString(), file.takenAt(), file.bytes(), problem);
        }

        @Override
        public Restored restore(Optional<String> name) {
            Path data = dataPath();
            return locked(data, "restore", () -> restoreLocked(data, name));
        }

        private Restored restoreLocked(Path data, Optional<String> name) throws IOException {
            BackupDirectory directory = backupDirectory(data);
            List<BackupDirectory.BackupFile> files = directory.list();
            BackupDirectory.BackupFile chosen = null;
            Document restored = null;
            byte[] bytes = null;
            for (BackupDirectory.BackupFile file : files) {
                if (name.isPresent() && !name.get().equals(file.name())) {
                    continue;
                }
                byte[] content = ops.readAllBytes(file.path());
                try {
                    restored = codec.parse(content, file.path().toString());
                    chosen = file;
                    bytes = content;
                    break;
                } catch (StoreBrokenException e) {
                    if (name.isPresent()) {
                        throw new StoreBrokenException(e.source(), e.line().orElse(0), e.column().orElse(0),
                                "backup " + file.name() + " is broken too; pick another with `waterfall backups list`", e);
                    }
                }
            }
            if (chosen == null) {
                throw new StoreBrokenException(data.toString(), 0, 0, name.isPresent()
                        ? "no backup named " + name.get() + " in " + directory.folder() + "; see `waterfall backups list`"
                        : "no valid backup in " + directory.folder() + "; fix the file by hand");
            }

            State current = current(data);
            Optional<String> movedAside = Optional.empty();
            Map<Key, Value> before;
            Meta baseMeta = current.meta();
            long revision;
            if (current.broken() != null) {
                Path aside = directory.brokenName(data);
                ops.moveAtomically(data, aside);
                ops.forceDirectory(data.getParent());
                movedAside = Optional.of(aside.toString());
                before = Map.of();
                revision = baseMeta.revision() + 1;
            } else {
                before = current.document() == null ? Map.of() : current.document().values();
                revision = current.view().revision() + 1;
            }
            AtomicFile.cleanOrphans(ops, data);
            try (AtomicFile file = AtomicFile.begin(ops, data)) {
                file.write(ByteBuffer.wrap(bytes));
                if (current.broken() == null && current.dataStamp().exists()) {
                    directory.take(data);
                }
                file.commit();
            }

            Instant now = Instant.now(context.clock());
            List<HistoryRecord> records = new ArrayList<>();
            Map<Key, Meta.KeyMeta> metaEntries = new HashMap<>();
            Set<Key> all = unionKeys(before, restored.values());
            if (current.broken() != null) {
                all.addAll(baseMeta.entries().keySet());
            }
            for (Key key : all) {
                Value old = before.get(key);
                Value restoredValue = restored.values().get(key);
                Entry existing = current.view().entries().get(key);
                if (restoredValue != null && Objects.equals(old, restoredValue) && existing != null) {
                    metaEntries.put(key, new Meta.KeyMeta(existing.revision(), existing.updatedAt(), existing.updatedBy(),
                            Hashes.valueHash(restoredValue)));
                } else if (restoredValue != null || old != null || current.broken() != null) {
                    records.add(new HistoryRecord(revision, now, context.actor(), key, Optional.ofNullable(old), Optional.ofNullable(restoredValue)));
                    if (restoredValue != null) {
                        metaEntries.put(key, new Meta.KeyMeta(revision, now, context.actor(), Hashes.valueHash(restoredValue)));
                    }
                }
            }
            String sha = Hashes.sha256(bytes);
            Meta meta = new Meta(revision, sha, metaEntries);
            afterCommit(data, meta, records);
            state = null;
            Backup from = describe(chosen);
            return new Restored(from, movedAside, revision);
        }
    }

    @Override
    public List<Diagnostic> diagnose() {
        List<Diagnostic> findings = new ArrayList<>();
        Path data = dataPath();
        String subject = data.toString();
        State current;
        try {
            current = current(data);
        } catch (WaterfallException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, e.getMessage()));
            return findings;
        }
        if (current.broken() != null) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, current.broken().getMessage()));
        } else if (!current.dataStamp().exists()) {
            findings.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "does not exist yet; the first write creates it (0600, folder 0700)"));
        }
        for (Map.Entry<Key, Optional<Value>> change : current.view().external().entrySet()) {
            findings.add(new Diagnostic(Diagnostic.Severity.INFO, change.getKey().path(),
                    (change.getValue().isPresent() ? "was changed" : "was removed") + " outside waterfall (by hand or another tool); "
                            + "the next write records it in the history"));
        }
        try {
            checkMode(data, false, findings);
            checkMode(data.getParent(), true, findings);
            Path lock = lockPath(data);
            if (Files.isSymbolicLink(lock)) {
                findings.add(new Diagnostic(Diagnostic.Severity.ERROR, lock.toString(),
                        "the lock file is a symbolic link; writes refuse it. Remove it (the next write recreates it)"));
            }
            if (Files.isDirectory(data.getParent())) {
                try (var entries = Files.newDirectoryStream(data.getParent())) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (AtomicFile.isTempOf(name, data.getFileName().toString())
                                || AtomicFile.isTempOf(name, metaPath(data).getFileName().toString())) {
                            findings.add(new Diagnostic(Diagnostic.Severity.WARNING, entry.toString(),
                                    "a temp file left by an interrupted write; harmless, the next write removes it"));
                        }
                    }
                }
            }
            Path metaFile = metaPath(data);
            if (Files.exists(metaFile)) {
                try {
                    Meta.parse(ops.readAllBytes(metaFile), json);
                } catch (IOException e) {
                    findings.add(new Diagnostic(Diagnostic.Severity.WARNING, metaFile.toString(),
                            "unreadable metadata (" + e.getMessage() + "); revisions are rebuilt from the history, the next write rewrites it"));
                }
            }
        } catch (IOException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, "cannot inspect: " + e.getMessage()));
        }
        return findings;
    }

    private void checkMode(Path path, boolean folder, List<Diagnostic> findings) throws IOException {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) || !ops.isPosix()) {
            return;
        }
        Set<PosixFilePermission> permissions = ops.permissions(path);
        Set<PosixFilePermission> loose = new TreeSet<>(permissions);
        loose.removeAll(folder ? Modes.DIRECTORY : Modes.FILE);
        loose.remove(PosixFilePermission.OWNER_EXECUTE);
        if (folder) {
            loose.remove(PosixFilePermission.GROUP_READ);
            loose.remove(PosixFilePermission.GROUP_EXECUTE);
            loose.remove(PosixFilePermission.OTHERS_READ);
            loose.remove(PosixFilePermission.OTHERS_EXECUTE);
        }
        if (!loose.isEmpty()) {
            String mode = java.nio.file.attribute.PosixFilePermissions.toString(permissions);
            findings.add(new Diagnostic(Diagnostic.Severity.WARNING, path.toString(), (folder ? "folder" : "file") + " mode is " + mode
                    + (folder ? ", writable by others; chmod 700 it" : ", readable or writable by others; chmod 600 it")));
        }
    }

    @Override
    public String toString() {
        return "FileStore[" + location() + "]";
    }
}
