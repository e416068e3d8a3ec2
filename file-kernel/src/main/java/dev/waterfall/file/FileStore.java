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
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.engine.WriteRules;
import dev.waterfall.config.engine.Revisions;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.file.internal.BackupDirectory;
import dev.waterfall.file.internal.Hashes;
import dev.waterfall.file.internal.HistoryLog;
import dev.waterfall.file.internal.Meta;
import dev.waterfall.file.internal.MetaIndex;
import dev.waterfall.file.internal.Stamp;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A {@link ConfigStore} kept in one plain file that people can read and edit, by the protocol of
 * docs/architecture.md, "The durable-file protocol". The format is a {@link DocumentCodec}'s; everything else is here:
 *
 * <ul>
 *   <li><b>Writes</b> take the lock ({@link FileLocks}), re-read the file, apply the batch key by key
 *       (so concurrent writers of other keys lose nothing), check that the codec's output reads back
 *       as intended, write a temp file, fsync it, rename it over the file and fsync the folder. Only
 *       then is the write acknowledged. The version it wrote is kept in {@code backups/} (so the
 *       newest backup is always the last state Waterfall wrote), and a version someone else wrote
 *       is kept there before it is replaced. A {@code backups/} folder, history, metadata or lock
 *       file that is a symbolic link is refused.</li>
 *   <li><b>Reads</b> take no lock and are always fresh: the file is stat'ed and reparsed only when it
 *       changed. A read that finds a change made outside Waterfall takes the lock to record it
 *       before it answers, so that a revision names exactly one content.</li>
 *   <li><b>Metadata and history</b> live beside the file, so the file itself stays clean: each write
 *       appends its records and a commit line (with the new file's SHA-256) to
 *       {@code <file>.history.ndjson}; {@code <file>.meta.json} is a compaction of it, rewritten only
 *       every {@value #COMPACT_AFTER} records. Both are written after the commit point and not fsynced:
 *       a change made outside Waterfall (a hand edit, a script following the lock protocol, or a
 *       write whose history a power cut lost) is noticed by its value and recorded as an
 *       {@linkplain Actor#EXTERNAL external} change with a new revision.</li>
 *   <li><b>A broken file</b> is an error naming path, line and column; no write replaces it;
 *       {@link #backups()} restores the newest valid version and moves the broken file aside.</li>
 * </ul>
 *
 * <p>Nothing is created by opening or reading: the folder (0700) and file (0600) appear with the first
 * write. A replaced file keeps its mode. Network file systems are not supported (rename is not
 * atomic across NFS clients). Thread-safe.
 *
 * <p>Why this class is still long (about 1,000 lines): what is left is the state a reader caches
 * and the commit protocol that replaces it, and the two share the cached {@code State} under one
 * lock; splitting them needs that state as a class of its own first (docs/architecture.md, "One
 * set of write rules, engines by phase"). Backups are {@link FileStoreBackups}; the write rules
 * are {@code WriteRules}.
 */
public final class FileStore implements ConfigStore {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up and the security properties), which a command
     * such as {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(FileStore.class.getName());
    }

    /** History records after the metadata snapshot before it is rewritten. */
    static final int COMPACT_AFTER = 256;

    /**
     * Tuning of a file store.
     *
     * @param backupsToKeep   backups kept in {@code backups/} (at least 1)
     * @param lockTimeout     how long a write waits for the lock
     * @param historyMaxBytes the history file is rotated to {@code .history.1.ndjson} once it grows past this
     */
    public record Options(int backupsToKeep, Duration lockTimeout, long historyMaxBytes) {
        /** 20 backups, 30 s lock timeout, 8 MiB of history per file. */
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

    final Path configured;
    final DocumentCodec codec;
    final StoreContext context;
    private final Options options;
    final FileOps ops;
    private final FileLocks locks;
    private final ExecutorService syncer;
    private final SecretPolicy secrets;
    private final JsonFactory json = new JsonFactory();
    private final Map<Path, MetaIndex> indexes = new HashMap<>();
    private final Map<Path, BackupDirectory> backupDirectories = new HashMap<>();
    private volatile State state;

    /**
     * One version of the file, parsed, matched against the recorded metadata. Entries are built on
     * demand, so an unchanged file costs one stat per read and a write costs no rebuild of them.
     */
    static final class State {
        final Stamp dataStamp;
        final Document document;
        final String dataSha;
        final MetaIndex.Recorded recorded;
        final View view;
        final StoreBrokenException broken;
        private volatile Snapshot snapshot;
        private volatile TreeSet<Key> sortedKeys;

        State(Stamp dataStamp, Document document, String dataSha, MetaIndex.Recorded recorded, View view, StoreBrokenException broken) {
            this.dataStamp = dataStamp;
            this.document = document;
            this.dataSha = dataSha;
            this.recorded = recorded;
            this.view = view;
            this.broken = broken;
        }

        boolean clean() {
            return broken == null && view.external().isEmpty();
        }

        Map<Key, Value> values() {
            return document == null ? Map.of() : document.values();
        }

        Entry entry(Key key) {
            Value value = values().get(key);
            if (value == null) {
                return null;
            }
            Meta.KeyMeta meta = view.meta().get(key);
            if (meta == null) { // metadata that disagrees with its own commit hash: say nothing we do not know
                return new Entry(key, value, view.revision(), dataStamp.modified().toInstant(), Actor.EXTERNAL, document.line(key));
            }
            return new Entry(key, value, meta.revision(), meta.updatedAt(), meta.updatedBy(), document.line(key));
        }

        /** The keys in order, for the leaf rule; built once per version (writes carry theirs forward). Do not modify. */
        TreeSet<Key> sortedKeys() {
            TreeSet<Key> keys = sortedKeys;
            if (keys == null) {
                keys = new TreeSet<>(values().keySet());
                sortedKeys = keys;
            }
            return keys;
        }

        Snapshot snapshot() {
            Snapshot result = snapshot;
            if (result == null) {
                Map<Key, Entry> entries = new TreeMap<>();
                for (Key key : values().keySet()) {
                    entries.put(key, entry(key));
                }
                result = new Snapshot(view.revision(), entries);
                snapshot = result;
            }
            return result;
        }
    }

    /**
     * The metadata of the file's keys as readers see it.
     *
     * @param meta     per key metadata of every key in the file
     * @param revision the store revision
     * @param external keys whose values changed outside Waterfall (set, or removed), not yet recorded
     */
    record View(Map<Key, Meta.KeyMeta> meta, long revision, Map<Key, Optional<Value>> external) {
    }

    private FileStore(Path file, DocumentCodec codec, StoreContext context, Options options) {
        this.configured = file.toAbsolutePath().normalize();
        this.codec = codec;
        this.context = context;
        this.options = options;
        this.ops = context.services().get(FileOps.class, FileOps::real);
        this.locks = context.services().get(FileLocks.class, FileLocks::new);
        this.syncer = context.services().get(FileSyncThreads.class, FileSyncThreads::new).executor();
        this.secrets = context.plaintextSecrets();
    }

    /** Waits for a background fsync; its I/O failure is this write's failure. */
    private static void await(Future<Void> synced) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    synced.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the file must be synced or abandoned before anything else touches it
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
     * @throws InvalidValueException naming the URI if it names no file or has an unknown option
     */
    public static FileStore open(StoreUri uri, DocumentCodec codec, StoreContext context) {
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
                        throw new InvalidValueException("store " + uri + ": backups must be a whole number of at least 1, not " + pair[1]);
                    }
                } else if (!parameter.isEmpty()) {
                    throw new InvalidValueException("store " + uri + ": unknown option \"" + pair[0] + "\"; the only option is backups=N");
                }
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new InvalidValueException("store " + uri + " names no file; write it as "
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
     * Watches the file as the file system reports its changes (the JDK's {@code WatchService},
     * inotify on Linux), not by polling: a write by any process is seen at once
     * ({@link dev.waterfall.config.spi.FileWatch}).
     */
    @Override
    public AutoCloseable watch(java.util.function.Consumer<dev.waterfall.config.StoreEvent> listener) {
        return dev.waterfall.config.spi.FileWatch.ofStore(this, configured, listener);
    }

    private static Path sidecar(Path data, String suffix) {
        return data.resolveSibling(data.getFileName() + suffix);
    }

    private static Path metaPath(Path data) {
        return sidecar(data, ".meta.json");
    }

    HistoryLog history(Path data) {
        return new HistoryLog(sidecar(data, ".history.ndjson"), ops, json);
    }

    private synchronized MetaIndex index(Path data) {
        return indexes.computeIfAbsent(data, path -> new MetaIndex(metaPath(path), history(path), ops, json));
    }

    /** The backups of {@code data}; kept, since naming them compiles a pattern and every write takes one. */
    synchronized BackupDirectory backupDirectory(Path data) {
        return backupDirectories.computeIfAbsent(data, path -> new BackupDirectory(path, ops, context.clock(), options.backupsToKeep()));
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Optional<Entry> get(Key key) {
        return Optional.ofNullable(readable().entry(key));
    }

    /**
     * The value of {@code key} from the file alone: a state already read and clean answers as
     * {@link #get}; otherwise the file is read and parsed, and neither its metadata sidecar nor its
     * hash is read, nor is a change made outside Waterfall recorded (the next reader of revisions,
     * or the next write, records it; the value is the file's either way). A broken file fails as
     * {@link #get} fails. Nothing is cached: the state readers of revisions see stays theirs.
     */
    @Override
    public Optional<Value> value(Key key) {
        State cached = state;
        try {
            if (cached != null && cached.clean() && cached.dataStamp.sameAs(Stamp.of(configured))) {
                return Optional.ofNullable(cached.values().get(key));
            }
            Path data = StoreFiles.dataPath(configured);
            Read read = readStable(data);
            if (read.bytes() == null) {
                return Optional.empty();
            }
            Document document;
            try {
                document = codec.parse(read.bytes(), data.toString());
            } catch (StoreBrokenException e) {
                throw broken(e);
            }
            return Optional.ofNullable(document.values().get(key));
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + configured + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    @Override
    public Snapshot snapshot() {
        return readable().snapshot();
    }

    private State readable() {
        State current = currentForRead();
        if (current.broken == null && !current.view.external().isEmpty()) {
            current = recordSeen(current);
        }
        if (current.broken != null) {
            throw current.broken;
        }
        return current;
    }

    /**
     * The state of a file changed outside Waterfall, with the change recorded: a revision must name
     * exactly one content, whoever wrote it, and an unrecorded change has no revision yet. Telling
     * the reader "the next revision" would give two different outside contents the same number
     * (the tester's lost increments, issue 15). So the read takes the lock, looks again, records
     * what it finds as an {@linkplain Actor#EXTERNAL external} change at a new revision (history
     * only; the file is not touched) and answers from exactly that state. When the lock or the
     * history cannot be had (a read-only folder, say), the changed keys show
     * {@link Entry#UNRECORDED}, which no compare-and-set matches.
     */
    private State recordSeen(State seen) {
        Path data = StoreFiles.dataPath(configured);
        State result;
        try {
            result = locks.withLock(StoreFiles.lockPath(data), options.lockTimeout(), () -> {
                State current = currentLocked(data);
                if (current.broken != null || current.view.external().isEmpty()) {
                    return current;
                }
                return record(data, current, current.document, current.dataSha, List.of(), Instant.now(context.clock()));
            });
        } catch (IOException | WaterfallException e) {
            log().log(Level.DEBUG, "cannot record the outside change to " + data + " now (" + e.getMessage() + ")");
            result = seen;
        }
        return result.broken != null || result.view.external().isEmpty() ? result : unrecorded(result);
    }

    /** {@code state} with its outside changes at {@link Entry#UNRECORDED}; not cached. */
    private static State unrecorded(State state) {
        Map<Key, Meta.KeyMeta> meta = new HashMap<>(state.view.meta());
        for (Map.Entry<Key, Optional<Value>> change : state.view.external().entrySet()) {
            Meta.KeyMeta known = meta.get(change.getKey());
            if (known != null) {
                meta.put(change.getKey(), new Meta.KeyMeta(Entry.UNRECORDED, known.updatedAt(), known.updatedBy(), known.valueHash()));
            }
        }
        return new State(state.dataStamp, state.document, state.dataSha, state.recorded,
                new View(Collections.unmodifiableMap(meta), state.view.revision(), state.view.external()), null);
    }

    /**
     * The hot path of every read: one stat of the configured path (which follows a symbolic link
     * to the same file the writers replace) and, if nothing changed, the cached parse.
     */
    private State currentForRead() {
        State cached = state;
        if (cached != null && (cached.clean() || cached.broken != null)) {
            try {
                if (cached.dataStamp.sameAs(Stamp.of(configured))) {
                    return cached;
                }
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot read " + configured + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
            }
        }
        return current(StoreFiles.dataPath(configured));
    }

    /** The current state, reparsing only what changed since the last look. */
    private State current(Path data) {
        try {
            Stamp stamp = Stamp.of(data);
            State cached = state;
            if (cached != null && cached.dataStamp.sameAs(stamp)) {
                if (cached.clean() || cached.broken != null) {
                    return cached;
                }
                MetaIndex.Recorded recorded = index(data).refresh();
                if (recorded == cached.recorded) {
                    return cached;
                }
                State refreshed = new State(cached.dataStamp, cached.document, cached.dataSha, recorded,
                        reconcile(cached.values(), cached.dataSha, recorded, cached.dataStamp), null);
                state = refreshed;
                return refreshed;
            }
            State loaded = load(data);
            state = loaded;
            return loaded;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + data + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    /**
     * The state as a write under the lock must see it: the cached parse only if the file's bytes
     * still hash to it. A stamp (inode, size, modification time) can name two contents: a file
     * replaced by a rename frees its inode, the next temp file may get the same number, and two
     * writes within one tick of the file system's clock can leave the same size and time. A read
     * that trusts such a stamp is only stale for a moment; a write that trusts it builds on content
     * that is gone and loses another writer's update (the Python client lost 16 of 40 such races
     * before it read afresh under the lock). So a write reads and hashes the file once more (its
     * cost against the write's fsyncs is in docs/benchmarks.md when measured); a read keeps its one
     * stat.
     */
    State currentLocked(Path data) throws IOException {
        State before = state;
        State cached = current(data);
        if (cached.document == null) {
            return cached; // absent, or broken: both were decided on bytes read just now or on a stamp that differs from any file
        }
        if (before == null || cached.document != before.document) {
            return cached; // parsed from the bytes just now: reading them again would only repeat the same I/O
        }
        byte[] bytes;
        try {
            bytes = ops.readAllBytes(data);
        } catch (NoSuchFileException e) {
            bytes = null;
        }
        if (bytes != null && Hashes.sha256(bytes).equals(cached.dataSha)) {
            return cached;
        }
        State loaded = load(data);
        state = loaded;
        return loaded;
    }

    /** The file's bytes (null if there is no file) and the stamp of exactly those bytes. */
    private record Read(byte[] bytes, Stamp stamp) {
    }

    /** Reads the file between two stats that agree, so the stamp names the bytes read (ten tries, then the last). */
    private Read readStable(Path data) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Stamp before = Stamp.of(data);
            if (!before.exists()) {
                return new Read(null, before);
            }
            byte[] bytes;
            try {
                bytes = ops.readAllBytes(data);
            } catch (NoSuchFileException e) {
                continue; // replaced between stat and read: look again
            }
            Stamp after = Stamp.of(data);
            if (before.sameAs(after) || attempt >= 10) {
                return new Read(bytes, after);
            }
        }
    }

    /** A parse failure as readers and writers report it: where, and what to do. */
    private static StoreBrokenException broken(StoreBrokenException e) {
        return new StoreBrokenException(e.source(), e.line().orElse(0), e.column().orElse(0),
                stripSource(e) + "; nothing was changed and no write will replace the file: fix it by hand, or run "
                        + "`waterfall backups restore` to restore the newest valid backup (the broken file is kept aside)", e);
    }

    private State load(Path data) throws IOException {
        Read read = readStable(data);
        byte[] bytes = read.bytes();
        Stamp stamp = read.stamp();
        MetaIndex.Recorded recorded = index(data).refresh();
        if (bytes == null) {
            return new State(stamp, null, "", recorded, reconcile(Map.of(), "", recorded, stamp), null);
        }
        Document document;
        try {
            document = codec.parse(bytes, data.toString());
        } catch (StoreBrokenException e) {
            return new State(stamp, null, "", recorded, new View(Map.of(), recorded.revision(), Map.of()), broken(e));
        }
        String sha = Hashes.sha256(bytes);
        return new State(stamp, document, sha, recorded, reconcile(document.values(), sha, recorded, stamp), null);
    }

    private static String stripSource(StoreBrokenException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ", e.source().length());
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    /**
     * Matches the file's values against the recorded metadata. When the file is the one the last
     * recorded write produced (same SHA-256), the metadata holds as recorded. Otherwise a key whose
     * value's fingerprint differs from the record (or that has no record) changed outside Waterfall,
     * and so did a recorded key the file lacks. All such changes count as one revision after the
     * recorded one, which is exactly the revision the next writer records them at.
     */
    private static View reconcile(Map<Key, Value> values, String sha, MetaIndex.Recorded recorded, Stamp stamp) {
        Map<Key, Meta.KeyMeta> known = recorded.entries();
        if (!sha.isEmpty() && sha.equals(recorded.commitSha()) && known.size() == values.size()) {
            return new View(known, recorded.revision(), Map.of()); // the file the last recorded write produced
        }
        if (sha.isEmpty() && known.isEmpty()) {
            return new View(Map.of(), recorded.revision(), Map.of());
        }
        long externalRevision = recorded.revision() + 1;
        Instant fileTime = stamp.exists() ? stamp.modified().toInstant() : Instant.EPOCH;
        Map<Key, Meta.KeyMeta> meta = new HashMap<>(values.size() * 2);
        Map<Key, Optional<Value>> external = new LinkedHashMap<>();
        for (Map.Entry<Key, Value> leaf : values.entrySet()) {
            Meta.KeyMeta record = known.get(leaf.getKey());
            String hash = Hashes.valueHash(leaf.getValue());
            if (record != null && record.valueHash().equals(hash)) {
                meta.put(leaf.getKey(), record);
            } else {
                meta.put(leaf.getKey(), new Meta.KeyMeta(externalRevision, fileTime, Actor.EXTERNAL, hash));
                external.put(leaf.getKey(), Optional.of(leaf.getValue()));
            }
        }
        for (Key key : known.keySet()) {
            if (!values.containsKey(key)) {
                external.put(key, Optional.empty());
            }
        }
        long revision = external.isEmpty() ? recorded.revision() : externalRevision;
        return new View(Collections.unmodifiableMap(meta), revision, Collections.unmodifiableMap(external));
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Commit apply(List<? extends Change> changes) {
        List<Change> batch = List.copyOf(changes);
        if (batch.isEmpty()) {
            return new Commit(snapshot().revision(), List.of(), List.of());
        }
        Map<Key, Value> normalized = new HashMap<>();
        for (Change change : batch) {
            if (change instanceof Change.Set set) {
                secrets.checkPlaintext(set.key(), set.value(), configured.toString());
                normalized.put(set.key(), normalize(set.key(), set.value()));
            }
        }
        Path data = StoreFiles.dataPath(configured);
        return locked(data, "write", () -> write(data, batch, normalized));
    }

    private Value normalize(Key key, Value value) {
        try {
            return codec.normalize(value);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("cannot set " + key + " in " + configured + ": " + e.getMessage(), e);
        }
    }

    <T> T locked(Path data, String what, FileLocks.LockedAction<T> action) {
        return StoreFiles.locked(ops, locks, data, options.lockTimeout(), what, () -> {
            refuseLinks(data);
            return action.run();
        });
    }

    /** Waterfall's own files beside {@code data}: none may be a symbolic link (the lock file is refused where it is opened). */
    private List<Path> ownFiles(Path data) {
        return List.of(backupDirectory(data).folder(), sidecar(data, ".history.ndjson"), sidecar(data, ".history.1.ndjson"),
                metaPath(data), StoreFiles.lockPath(data));
    }

    /** Refuses a write when one of Waterfall's own files beside {@code data} is a symbolic link, before anything is written. */
    private void refuseLinks(Path data) throws IOException {
        backupDirectory(data).checkFolder();
        StoreFiles.refuseLink(sidecar(data, ".history.ndjson"), "the history file");
        StoreFiles.refuseLink(sidecar(data, ".history.1.ndjson"), "the history file");
        StoreFiles.refuseLink(metaPath(data), "the metadata file");
    }

    private Commit write(Path data, List<Change> batch, Map<Key, Value> normalized) throws IOException {
        State current = currentLocked(data);
        if (current.broken != null) {
            throw current.broken;
        }
        Map<Key, Value> values = current.values();

        // The batch against the file as it now is, by the rules every store shares.
        WriteRules.Plan plan;
        try {
            plan = WriteRules.plan(batch, normalized, stored(current));
        } catch (RevisionConflictException e) {
            if (!current.view.external().isEmpty()) {
                // Record it now, so that the caller's re-read finds a revision that names it.
                record(data, current, current.document, current.dataSha, List.of(), Instant.now(context.clock()));
            }
            throw e;
        }
        // A batch that only gives stored keys new values leaves the key set as it is: it is then
        // shared with the new state instead of copied.
        TreeSet<Key> keys = current.sortedKeys();
        if (plan.changesKeys()) {
            keys = new TreeSet<>(keys); // a linear copy of a sorted set
            for (WriteRules.Edit edit : plan.edits()) {
                if (edit.isRemove()) {
                    keys.remove(edit.key());
                } else {
                    keys.add(edit.key());
                }
            }
        }
        List<Edit> edits = new ArrayList<>();
        for (WriteRules.Edit edit : plan.edits()) {
            edits.add(new Edit(edit.key(), Optional.ofNullable(edit.after())));
        }
        if (edits.isEmpty() && current.view.external().isEmpty()) {
            return new Commit(current.view.revision(), List.of(), List.of());
        }
        if (edits.isEmpty()) {
            // Nothing to write, but record the changes found outside Waterfall so revisions settle.
            record(data, current, current.document, current.dataSha, List.of(), Instant.now(context.clock()));
            return new Commit(current.view.revision(), List.of(), List.of());
        }

        long nextRevision = Revisions.next(current.view.revision(), location()); // before anything is written
        DocumentCodec.Edited edited = codec.editWithDocument(current.document, edits);
        byte[] bytes = edited.bytes();
        BackupDirectory backups = backupDirectory(data);
        // Retention is applied before the write, and the expired version becomes the temp file.
        Optional<Path> spare = pruneAhead(backups, true);
        Document written;
        String sha;
        try (AtomicFile file = spare.isPresent() ? AtomicFile.beginReusing(ops, data, spare.get()) : AtomicFile.begin(ops, data)) {
            file.write(ByteBuffer.wrap(bytes));
            // The device syncs the temp file while this thread checks what it holds and links the
            // current version into backups/ (it stays as it is until the rename below); nothing is
            // renamed into place before all is done, so a failed check still replaces nothing.
            Future<Void> synced = syncer.submit(() -> {
                file.sync();
                return null;
            });
            Exception failed = null;
            Document checked = null;
            String hash = null;
            try {
                checked = verify(data, edited, current.document, edits);
                hash = Hashes.sha256(bytes);
                if (current.dataStamp.exists() && !current.clean()) {
                    backups.take(data); // a version someone else wrote: no backup holds it yet
                }
                file.cleanOrphans();
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            try {
                await(synced); // always: the temp file is synced or abandoned before anything else touches it
            } catch (IOException e) {
                if (failed == null) {
                    throw e;
                }
                failed.addSuppressed(e);
            }
            if (failed instanceof IOException e) {
                throw e;
            } else if (failed != null) {
                throw (RuntimeException) failed;
            }
            written = checked;
            sha = hash;
            file.renameSynced();
            keepBackup(backups, bytes);
            // The folder is synced while the history is recorded; the write is acknowledged only
            // when both are done, so a failed folder sync is still reported.
            Future<Void> folderSynced = syncer.submit(() -> {
                file.syncFolder();
                return null;
            });
            try {
                if (spare.isEmpty()) {
                    pruneBackups(backups);
                }
                Instant now = Instant.now(context.clock());
                long revision = nextRevision;
                List<HistoryRecord> records = new ArrayList<>();
                for (Edit edit : edits) {
                    records.add(new HistoryRecord(revision, now, context.actor(), edit.key(), Optional.ofNullable(values.get(edit.key())), edit.value()));
                }
                State after = record(data, current, written, sha, records, now);
                after.sortedKeys = keys;
                return committed(revision, edits, after);
            } finally {
                await(folderSynced);
            }
        }
    }

    /**
     * The file as the write rules see it: a key's revision is its metadata's, and a value changed
     * outside Waterfall since anyone recorded it was seen by no caller with a revision (readers
     * record before they answer), so any expectation of it is stale.
     */
    private static WriteRules.Stored<RuntimeException> stored(State current) {
        Map<Key, Value> values = current.values();
        return new WriteRules.Stored<>() {
            @Override
            public long revision(Key key) {
                Meta.KeyMeta meta = values.containsKey(key) ? current.view.meta().get(key) : null;
                return meta == null ? Change.ABSENT : meta.revision();
            }

            @Override
            public boolean seen(Key key) {
                return !(values.containsKey(key) && current.view.meta().get(key) != null && current.view.external().containsKey(key));
            }

            @Override
            public Value value(Key key) {
                return values.get(key);
            }

            @Override
            public java.util.Collection<Key> relatives(Key key, int under) {
                return WriteRules.relativesIn(current.sortedKeys(), key, under);
            }
        };
    }

    /** What a write did: its entries as now stored, and the keys it removed. */
    private static Commit committed(long revision, List<Edit> edits, State after) {
        List<Entry> entries = new ArrayList<>();
        List<Key> removed = new ArrayList<>();
        for (Edit edit : edits) {
            if (edit.isRemove()) {
                removed.add(edit.key());
            } else {
                entries.add(after.entry(edit.key()));
            }
        }
        return new Commit(revision, entries, removed);
    }

    /**
     * After the commit point: appends the external changes found and this write's records to the
     * history, with a commit line for the file now in place, and caches the resulting state. A
     * failure here loses no value (the file is committed); the change is then recorded as external.
     */
    State record(Path data, State before, Document document, String sha, List<HistoryRecord> records, Instant now) throws IOException {
        if (!before.view.external().isEmpty()) {
            Revisions.next(before.recorded.revision(), location()); // outside changes get a revision too: never past the bound
        }
        List<HistoryRecord> all = new ArrayList<>(externalRecords(data, before));
        all.addAll(records);
        long revision = all.isEmpty() ? before.view.revision() : all.get(all.size() - 1).revision();
        MetaIndex index = index(data);
        MetaIndex.Recorded recorded;
        try {
            history(data).append(all, new HistoryLog.CommitLine(revision, now, sha));
            recorded = index.refresh();
            if (recorded.tailRecords() >= COMPACT_AFTER || history(data).size() > options.historyMaxBytes()) {
                index.compact();
                if (history(data).size() > options.historyMaxBytes()) {
                    history(data).rotate();
                }
                recorded = index.refresh();
            }
        } catch (IOException e) {
            log().log(Level.WARNING, "the write to " + data + " is durable, but its history could not be recorded ("
                    + e.getMessage() + "); the change will show as made outside waterfall");
            recorded = before.recorded;
        }
        Stamp stamp = Stamp.of(data);
        Map<Key, Value> values = document == null ? Map.of() : document.values();
        State after = new State(stamp, document, sha, recorded, reconcile(values, sha, recorded, stamp), null);
        state = after;
        return after;
    }

    /** Keeps what a write put in place as the newest backup; after the commit point, so a failure only warns. */
    void keepBackup(BackupDirectory backups, byte[] written) {
        try {
            backups.keep(written);
        } catch (IOException e) {
            log().log(Level.WARNING, "the write is durable, but its backup could not be kept in " + backups.folder() + ": " + e.getMessage());
        }
    }

    private Optional<Path> pruneAhead(BackupDirectory backups, boolean willTake) {
        try {
            return backups.pruneAhead(willTake);
        } catch (IOException e) {
            log().log(Level.WARNING, "could not prune old backups in " + backups.folder() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    void pruneBackups(BackupDirectory backups) {
        try {
            backups.prune();
        } catch (IOException e) {
            log().log(Level.WARNING, "could not prune old backups in " + backups.folder() + ": " + e.getMessage());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The file gets every entry's value (in this format's form, see {@link DocumentCodec#normalize}),
     * the history file gets {@code history} and a commit line, and the metadata snapshot gets each
     * entry's revision, time and author, so that metadata the copied history does not reproduce
     * (a source that keeps none, or trimmed it) is kept all the same. Like every write it takes the
     * lock, keeps a backup of an existing (empty) file, and replaces the file atomically and
     * durably; the metadata follows the commit point, as it does for every write.
     */
    @Override
    public boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(history, "history");
        WriteRules.CopyCheck check = new WriteRules.CopyCheck(revision);
        Revisions.checkIncoming(revision, "the copy");
        List<Edit> edits = new ArrayList<>();
        Map<Key, Meta.KeyMeta> metaEntries = new HashMap<>();
        while (entries.hasNext()) {
            Entry entry = check.entry(entries.next());
            secrets.checkPlaintext(entry.key(), entry.value(), configured.toString());
            Value value = normalize(entry.key(), entry.value());
            edits.add(Edit.put(entry.key(), value));
            metaEntries.put(entry.key(), new Meta.KeyMeta(entry.revision(), entry.updatedAt(), entry.updatedBy(), Hashes.valueHash(value)));
        }
        List<HistoryRecord> records = new ArrayList<>();
        while (history.hasNext()) {
            records.add(check.record(history.next()));
        }
        Path data = StoreFiles.dataPath(configured);
        if (revision == 0 && edits.isEmpty() && records.isEmpty()) {
            checkNew(data, readable()); // a copy of a store never written: this one stays unwritten too
            return true;
        }
        locked(data, "load a copy into", () -> {
            State current = currentLocked(data);
            if (current.broken != null) {
                throw current.broken;
            }
            checkNew(data, current);
            DocumentCodec.Edited edited = codec.editWithDocument(current.document, edits);
            Document written = verify(data, edited, current.document, edits);
            AtomicFile.cleanOrphans(ops, data);
            BackupDirectory backups = backupDirectory(data);
            try (AtomicFile file = AtomicFile.begin(ops, data)) {
                file.write(ByteBuffer.wrap(edited.bytes()));
                if (current.dataStamp.exists()) {
                    backups.take(data);
                }
                file.commit();
            }
            keepBackup(backups, edited.bytes());
            pruneBackups(backups);
            String sha = Hashes.sha256(edited.bytes());
            HistoryLog log = history(data);
            try {
                log.append(records, new HistoryLog.CommitLine(revision, Instant.now(context.clock()), sha));
                Stamp logStamp = Stamp.of(log.file());
                Meta snapshot = new Meta(revision, sha, metaEntries, String.valueOf(logStamp.fileKey()), logStamp.size());
                AtomicFile.replaceWithoutSync(ops, metaPath(data), snapshot.render());
            } catch (IOException e) {
                log().log(Level.WARNING, "the copy in " + data + " is durable, but its metadata could not be recorded ("
                        + e.getMessage() + "); its entries will show as changed outside waterfall");
            }
            state = null;
            Stamp stamp = Stamp.of(data);
            MetaIndex.Recorded recorded = index(data).refresh();
            state = new State(stamp, written, sha, recorded, reconcile(written.values(), sha, recorded, stamp), null);
            return null;
        });
        return true;
    }

    private static void checkNew(Path data, State current) {
        if (current.view.revision() != 0 || !current.values().isEmpty()) {
            throw WriteRules.notNew(data.toString(), current.view.revision());
        }
    }

    /** History records for the external changes a write is about to make official. */
    private List<HistoryRecord> externalRecords(Path data, State current) throws IOException {
        Map<Key, Optional<Value>> external = current.view.external();
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
        long revision = current.view.revision();
        Instant at = current.dataStamp.exists() ? current.dataStamp.modified().toInstant() : Instant.now(context.clock());
        List<HistoryRecord> records = new ArrayList<>();
        for (Map.Entry<Key, Optional<Value>> change : external.entrySet()) {
            records.add(new HistoryRecord(revision, at, Actor.EXTERNAL, change.getKey(),
                    Optional.ofNullable(lastKnown.get(change.getKey())), change.getValue()));
        }
        return records;
    }

    /**
     * Checks that what the codec produced holds exactly the intended values, so a codec bug can
     * never reach the disk: by parsing the bytes, unless the codec returned the document it
     * rendered them from. Either way the checked document becomes the new state's.
     */
    private Document verify(Path data, DocumentCodec.Edited edited, Document before, List<Edit> edits) {
        Map<Key, Value> beforeValues = before == null ? Map.of() : before.values();
        Map<Key, Optional<Value>> intended = new HashMap<>();
        for (Edit edit : edits) {
            intended.put(edit.key(), edit.value());
        }
        intended.entrySet().removeIf(change -> Objects.equals(change.getValue().orElse(null), beforeValues.get(change.getKey())));
        Document reread = edited.document();
        if (reread == null) {
            try {
                reread = codec.parse(edited.bytes(), data.toString());
            } catch (StoreBrokenException e) {
                throw new WaterfallException("internal error: the " + codec.formatName() + " writer produced a file that does not parse ("
                        + e.getMessage() + "); nothing was written. Please report this with the file and the change", e);
            }
        }
        // The new values must be the old ones with the edits applied: these changes and no others.
        Map<Key, Optional<Value>> actual = reread.changesFrom(before);
        if (!actual.equals(intended)) {
            Set<Key> keys = new TreeSet<>(actual.keySet());
            keys.addAll(intended.keySet());
            for (Key differing : keys) {
                Optional<Value> change = intended.get(differing);
                Value wanted = change != null ? change.orElse(null) : beforeValues.get(differing);
                Value got = reread.values().get(differing);
                if (!Objects.equals(wanted, got)) {
                    throw new WaterfallException("internal error: the " + codec.formatName() + " writer produced a file in which " + differing
                            + " reads back as " + got + " instead of " + wanted
                            + "; nothing was written. Please report this with the file and the change");
                }
            }
            throw new WaterfallException("internal error: the " + codec.formatName() + " writer reported changes " + actual
                    + " instead of " + intended + "; nothing was written. Please report this with the file and the change");
        }
        return reread;
    }

    static Set<Key> unionKeys(Map<Key, Value> a, Map<Key, Value> b) {
        Set<Key> union = new TreeSet<>(a.keySet());
        union.addAll(b.keySet());
        return union;
    }

    // ---------------------------------------------------------------- history, backups, health

    @Override
    public List<HistoryRecord> history(HistoryQuery query) {
        Path data = StoreFiles.dataPath(configured);
        try {
            return history(data).read(query);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the history of " + data + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    @Override
    public Optional<Backups> backups() {
        return Optional.of(new FileStoreBackups(this));
    }

    @Override
    public List<Diagnostic> diagnose() {
        List<Diagnostic> findings = new ArrayList<>();
        Path data = StoreFiles.dataPath(configured);
        String subject = data.toString();
        State current;
        try {
            current = current(data);
        } catch (WaterfallException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, e.getMessage()));
            return findings;
        }
        StoreFiles.reportState(subject, current.broken, current.dataStamp.exists(), findings);
        for (Map.Entry<Key, Optional<Value>> change : current.view.external().entrySet()) {
            findings.add(new Diagnostic(Diagnostic.Severity.INFO, change.getKey().path(),
                    (change.getValue().isPresent() ? "was changed" : "was removed") + " outside waterfall (by hand or another tool); "
                            + "the next write records it in the history"));
        }
        StoreFiles.inspect(ops, data, ownFiles(data), findings, () -> {
            if (Files.isDirectory(data.getParent())) {
                try (var entries = Files.newDirectoryStream(data.getParent())) {
                    for (Path entry : entries) {
                        if (AtomicFile.isTempOf(entry.getFileName().toString(), data.getFileName().toString())) {
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
                            "unreadable metadata (" + e.getMessage() + "); revisions are rebuilt from the history, a later write rewrites it"));
                }
            }
        });
        return findings;
    }

    @Override
    public String toString() {
        return "FileStore[" + location() + "]";
    }
}
