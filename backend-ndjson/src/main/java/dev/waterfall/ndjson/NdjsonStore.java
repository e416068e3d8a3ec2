package dev.waterfall.ndjson;

import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
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
import dev.waterfall.file.AtomicFile;
import dev.waterfall.file.FileLocks;
import dev.waterfall.file.FileOps;
import dev.waterfall.file.StoreFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link ConfigStore} kept as an append-only change log: one JSON line per commit (see
 * {@link LogFormat}), so the file is its own history and a person or a script can read who changed
 * what with {@code tail} or {@code grep}. By the protocol of docs/architecture.md, "The durable-file protocol":
 *
 * <ul>
 *   <li><b>Writes</b> take the lock ({@link FileLocks}, the same {@code <file>.lock} protocol as the
 *       JSON store), read what other writers appended, check compare-and-set revisions and the leaf
 *       rule against it, append one line with {@code O_APPEND} and fsync the file (and the folder
 *       when the write created the file). Only then is the write acknowledged. A commit is one line,
 *       so a batch is all or nothing.</li>
 *   <li><b>Reads</b> take no lock and are always fresh: the file is stat'ed, and only the bytes
 *       appended since the last read are parsed (a file replaced or rewritten in place is read
 *       again whole). A last line without its newline is a write in progress or a torn one, and is
 *       not read.</li>
 *   <li><b>A torn last line</b> left by a writer that died mid-append is moved to
 *       {@code <file>.broken} and cut off by the next write. <b>A damaged line</b> before it is an
 *       error naming file, line and column, for reads and writes alike; nothing is dropped.</li>
 *   <li><b>Compaction</b>: once {@link Options#compactAfter()} commits follow the last snapshot, a
 *       write replaces the file (temp file, fsync, rename, folder fsync) with one snapshot line and
 *       the newest {@link Options#historyKept()} commits; the log as it was is kept as
 *       {@code <file>.1}.</li>
 * </ul>
 *
 * <p>Nothing is created by opening or reading: the folder (0700) and file (0600) appear with the first
 * write. Network file systems are not supported. Thread-safe.
 *
 * <p>Why this class is still long (about 750 lines): folding the log into a state, appending to
 * it and compacting it all work on the same byte offsets and guard bytes of one cached state; the
 * line format is {@link LogFormat}, the write rules {@code WriteRules}.
 */
public final class NdjsonStore implements ConfigStore {

    private static System.Logger log() {
        return System.getLogger(NdjsonStore.class.getName());
    }

    /**
     * Tuning of an NDJSON store.
     *
     * @param lockTimeout  how long a write waits for the lock
     * @param compactAfter commits after the last snapshot line that make a write compact the log
     * @param historyKept  commits a compaction keeps as they are (the history still shown)
     */
    public record Options(Duration lockTimeout, int compactAfter, int historyKept) {
        /** 30 s lock timeout; compaction after 10,000 commits, keeping the newest 1,000. */
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), 10_000, 1_000);

        public Options {
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            if (historyKept < 0 || compactAfter <= historyKept) {
                throw new IllegalArgumentException("compact after more commits (" + compactAfter + ") than are kept (" + historyKept + ")");
            }
        }
    }

    private static final Set<PosixFilePermission> FILE_MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    /** Bytes before the read position compared on each read, so that a file rewritten in place is read again whole. */
    private static final int GUARD = 64;

    private final Path configured;
    private final StoreContext context;
    private final Options options;
    private final FileOps ops;
    private final FileLocks locks;
    private final SecretPolicy secrets;
    private final LogFormat format = new LogFormat();
    private State state = State.ABSENT; // guarded by this
    /**
     * Whether this instance has removed, under the lock, the orphan temp files that a compaction
     * cut short by a crash or a power cut leaves ({@code .<log>.<random>.tmp}). Once per instance
     * (a command's one write, a program's first), and at every compaction: a directory listing on
     * every append would cost the log its one advantage, a write that is one append.
     */
    private volatile boolean orphansSwept;

    /** What the log says through its last complete line, as of one look at the file. */
    private static final class State {
        /** No file. Immutable, as every state's entries are once published. */
        static final State ABSENT = new State(null, null, -1, 0, new byte[0], 0, 0, Collections.emptyNavigableMap(), List.of(), 0, 0, 0, null);

        final Object fileKey;
        final FileTime modified;
        final long size;
        final long consumed; // bytes through the last newline
        final byte[] guard; // the bytes just before consumed
        final int lines;
        final long revision;
        final NavigableMap<Key, Entry> entries; // never modified once the state is published
        final List<HistoryRecord> history; // append-only, shared with later states; read under the store's monitor
        final int historySize;
        final int commits; // commit lines since the last snapshot line
        final long torn; // bytes after the last newline
        final StoreBrokenException broken;
        private Snapshot snapshot; // guarded by the store

        State(Object fileKey, FileTime modified, long size, long consumed, byte[] guard, int lines, long revision, NavigableMap<Key, Entry> entries,
              List<HistoryRecord> history, int historySize, int commits, long torn, StoreBrokenException broken) {
            this.fileKey = fileKey;
            this.modified = modified;
            this.size = size;
            this.consumed = consumed;
            this.guard = guard;
            this.lines = lines;
            this.revision = revision;
            this.entries = entries;
            this.history = history;
            this.historySize = historySize;
            this.commits = commits;
            this.torn = torn;
            this.broken = broken;
        }

        boolean exists() {
            return size >= 0;
        }

        State checked() {
            if (broken != null) {
                throw broken;
            }
            return this;
        }
    }

    private NdjsonStore(Path file, StoreContext context, Options options) {
        this.configured = file.toAbsolutePath().normalize();
        this.context = context;
        this.options = options;
        this.ops = context.services().get(FileOps.class, FileOps::real);
        this.locks = context.services().get(FileLocks.class, FileLocks::new);
        this.secrets = context.plaintextSecrets();
    }

    /** Opens the store kept in {@code file}. Nothing is read or created until it is used. */
    public static NdjsonStore open(Path file, StoreContext context, Options options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        return new NdjsonStore(file, context, options);
    }

    /**
     * Opens the store an {@code ndjson:PATH} URI names (also {@code ndjson:///PATH}), where
     * {@code PATH} may start with {@code ~/}; {@code ?compact-after=N} sets after how many commits
     * the log is compacted (default 10,000; the newest tenth are kept).
     *
     * @throws InvalidValueException naming the URI if it names no file or has an unknown option
     */
    public static NdjsonStore open(StoreUri uri, StoreContext context) {
        String rest = uri.rest();
        Options options = Options.DEFAULTS;
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                String[] pair = parameter.split("=", 2);
                if (pair[0].equals("compact-after") && pair.length == 2) {
                    try {
                        int after = Integer.parseInt(pair[1]);
                        options = new Options(options.lockTimeout(), after, after / 10);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidValueException("store " + uri + ": compact-after must be a whole number of at least 1, not " + pair[1]);
                    }
                } else if (!parameter.isEmpty()) {
                    throw new InvalidValueException("store " + uri + ": unknown option \"" + pair[0] + "\"; the only option is compact-after=N");
                }
            }
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new InvalidValueException("store " + uri + " names no file; write it as ndjson:/path/to/config.ndjson");
        }
        return open(context.resolvePath(rest), context, options);
    }

    /** The file, as configured. */
    public Path file() {
        return configured;
    }

    @Override
    public String location() {
        return "ndjson:" + configured;
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

    private static Path sibling(Path data, String suffix) {
        return data.resolveSibling(data.getFileName() + suffix);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Optional<Entry> get(Key key) {
        return Optional.ofNullable(current(null).checked().entries.get(key));
    }

    @Override
    public Snapshot snapshot() {
        State current = current(null).checked();
        synchronized (this) {
            if (current.snapshot == null) {
                current.snapshot = new Snapshot(current.revision, current.entries);
            }
            return current.snapshot;
        }
    }

    @Override
    public synchronized List<HistoryRecord> history(HistoryQuery query) {
        State current = current(null).checked();
        List<HistoryRecord> found = new ArrayList<>();
        for (int i = current.historySize - 1; i >= 0 && found.size() < query.limit(); i--) {
            HistoryRecord record = current.history.get(i);
            if (query.matches(record.key())) {
                found.add(record);
            }
        }
        return found;
    }

    /**
     * The log as it is now: unchanged, extended by what was appended, or read again whole.
     *
     * @param data the file, or null to find it (a read: one {@code lstat} when the file is no link)
     */
    private synchronized State current(Path data) {
        BasicFileAttributes attributes;
        try {
            if (data == null) {
                data = configured;
                attributes = Files.readAttributes(data, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    data = StoreFiles.dataPath(configured);
                    attributes = Files.readAttributes(data, BasicFileAttributes.class);
                }
            } else {
                attributes = Files.readAttributes(data, BasicFileAttributes.class);
            }
        } catch (NoSuchFileException e) {
            state = State.ABSENT;
            return state;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + data + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        State known = state;
        boolean sameFile = known.exists() && Objects.equals(known.fileKey, attributes.fileKey());
        if (sameFile && attributes.size() == known.size && attributes.lastModifiedTime().equals(known.modified)) {
            return known;
        }
        try {
            State read = null;
            if (sameFile && known.broken == null && attributes.size() >= known.consumed) {
                read = extend(data, known, attributes);
            }
            state = read != null ? read : load(data, attributes);
            return state;
        } catch (NoSuchFileException e) {
            state = State.ABSENT; // replaced and gone meanwhile
            return state;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + data + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    /** Reads the file whole. */
    private State load(Path data, BasicFileAttributes attributes) throws IOException {
        byte[] bytes = ops.readAllBytes(data);
        return fold(data, State.ABSENT, attributes, bytes, 0, 0, Integer.MAX_VALUE);
    }

    /** Reads what was appended since {@code known}, or null if the bytes before it changed. */
    private State extend(Path data, State known, BasicFileAttributes attributes) throws IOException {
        long from = known.consumed - known.guard.length;
        byte[] bytes = readFrom(data, from);
        int guard = known.guard.length;
        if (bytes.length < guard || !Arrays.equals(bytes, 0, guard, known.guard, 0, guard)) {
            return null;
        }
        return fold(data, known, attributes, bytes, guard, from, Integer.MAX_VALUE);
    }

    /** The bytes of {@code data} from byte {@code from} to its end (none if it is shorter). */
    private static byte[] readFrom(Path data, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            long size = channel.size() - from;
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("more than 2 GB to read at once from " + data);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, size));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // read to the end
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /**
     * Applies the complete lines of {@code bytes} from {@code start} (the file's byte {@code offset + start})
     * to {@code base}, stopping before the {@code stopAt}-th record line (counting non-blank lines from 1).
     * {@code attributes} are the file's as stat'ed before the read, or null for bytes not (yet) in a file.
     */
    private State fold(Path data, State base, BasicFileAttributes attributes, byte[] bytes, int start, long offset, int stopAt) {
        String source = data.toString();
        NavigableMap<Key, Entry> entries = base.entries;
        boolean copied = false;
        List<HistoryRecord> history = base.history;
        if (!(history instanceof ArrayList) || history.size() != base.historySize) { // the empty start, or another state went on from base
            history = new ArrayList<>(history.subList(0, base.historySize));
        }
        long revision = base.revision;
        int commits = base.commits;
        int lines = base.lines;
        int records = 0;
        StoreBrokenException broken = null;
        int at = start;
        while (true) {
            int newline = indexOf(bytes, (byte) '\n', at);
            if (newline < 0) {
                break;
            }
            int end = newline > at && bytes[newline - 1] == '\r' ? newline - 1 : newline;
            if (!blank(bytes, at, end)) {
                if (++records >= stopAt) {
                    break;
                }
                try {
                    LogFormat.Line line = format.parse(bytes, at, end, lines + 1, source);
                    if (line.revision() <= revision && !(line instanceof LogFormat.Base && line.revision() == revision)) {
                        throw new StoreBrokenException(source, lines + 1, LogFormat.columnOf(bytes, at, end, "\"rev\""), "revision " + line.revision() + " is not above the previous record's "
                                + revision + "; each record takes the next revision" + LogFormat.REPAIR);
                    }
                    if (!copied) {
                        entries = new TreeMap<>(entries);
                        copied = true;
                    }
                    if (line instanceof LogFormat.Base snapshotLine) {
                        entries.clear();
                        for (Entry entry : snapshotLine.entries()) {
                            checkSettable(entries, entry.key(), source, lines + 1, bytes, at, end);
                            entries.put(entry.key(), entry);
                        }
                        commits = 0;
                    } else {
                        LogFormat.Changes changes = (LogFormat.Changes) line;
                        for (LogFormat.KeyChange change : changes.changes()) {
                            Entry old = entries.get(change.key());
                            Optional<Value> before = old == null ? Optional.empty() : Optional.of(old.value());
                            if (before.equals(change.value())) {
                                continue; // a no-op: nothing changes, nothing is recorded
                            }
                            entries.remove(change.key());
                            if (change.value().isPresent()) {
                                checkSettable(entries, change.key(), source, lines + 1, bytes, at, end);
                                entries.put(change.key(), new Entry(change.key(), change.value().get(), changes.revision(), changes.at(),
                                        changes.by(), lines + 1));
                            }
                            history.add(new HistoryRecord(changes.revision(), changes.at(), changes.by(), change.key(), before, change.value()));
                        }
                        commits++;
                    }
                    revision = line.revision();
                } catch (StoreBrokenException e) {
                    broken = e;
                    lines++;
                    at = newline + 1;
                    break;
                }
            }
            lines++;
            at = newline + 1;
        }
        byte[] guardBytes = Arrays.copyOfRange(bytes, Math.max(0, at - GUARD), at);
        long torn = broken != null || stopAt != Integer.MAX_VALUE ? 0 : bytes.length - at;
        return new State(attributes == null ? null : attributes.fileKey(), attributes == null ? null : attributes.lastModifiedTime(),
                attributes == null ? bytes.length : attributes.size(), offset + at, guardBytes, lines, revision, entries, history, history.size(),
                commits, torn, broken);
    }

    /** The leaf rule for a key of the record in {@code text[start, end)}; a conflict names the key's column. */
    private static void checkSettable(NavigableMap<Key, Entry> entries, Key key, String source, int line, byte[] text, int start, int end) {
        Optional<Key> conflict = WriteRules.leafConflict(entries.navigableKeySet(), key);
        if (conflict.isPresent()) {
            KeyConflictException e = new KeyConflictException(key, conflict.get());
            throw new StoreBrokenException(source, line, LogFormat.keyColumn(text, start, end, key), e.getMessage() + LogFormat.REPAIR, e);
        }
    }

    /** Whether two states hold the same entries, whatever lines they stand on. */
    private static boolean sameEntries(Map<Key, Entry> a, Map<Key, Entry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Entry entry : a.values()) {
            Entry other = b.get(entry.key());
            if (other == null || !entry.withLine(0).equals(other.withLine(0))) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean blank(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Commit apply(List<? extends Change> changes) {
        List<Change> batch = List.copyOf(changes);
        if (batch.isEmpty()) {
            return new Commit(snapshot().revision(), List.of(), List.of());
        }
        for (Change change : batch) {
            if (change instanceof Change.Set set) {
                secrets.checkPlaintext(set.key(), set.value(), configured.toString());
            }
        }
        Path data = StoreFiles.dataPath(configured);
        return locked(data, "write", () -> write(data, batch));
    }

    private <T> T locked(Path data, String what, FileLocks.LockedAction<T> action) {
        return StoreFiles.locked(ops, locks, data, options.lockTimeout(), what, action);
    }

    private Commit write(Path data, List<Change> batch) throws IOException {
        State current = settled(data);
        if (!orphansSwept) {
            AtomicFile.cleanOrphans(ops, data);
            orphansSwept = true;
        }

        // The batch against the log as it now is, by the rules every store shares.
        WriteRules.Plan plan = WriteRules.plan(batch, null,
                WriteRules.stored(current.entries.navigableKeySet(), current.entries, Entry::value, Entry::revision));
        List<LogFormat.KeyChange> edits = new ArrayList<>();
        for (WriteRules.Edit edit : plan.edits()) {
            edits.add(new LogFormat.KeyChange(edit.key(), Optional.ofNullable(edit.after())));
        }
        if (edits.isEmpty()) {
            return new Commit(current.revision, List.of(), List.of());
        }
        long revision = Revisions.next(current.revision, location());
        byte[] line = format.changes(revision, Instant.now(context.clock()), context.actor(), edits);
        append(data, current, line);
        State after = current(data).checked();
        if (after.revision != revision) {
            throw new StoreUnavailableException(data + " does not read back the write at revision " + revision + " (it reads revision "
                    + after.revision + "); was it changed without the lock?");
        }
        List<Entry> written = new ArrayList<>();
        List<Key> removed = new ArrayList<>();
        for (LogFormat.KeyChange edit : edits) {
            if (edit.value().isPresent()) {
                written.add(after.entries.get(edit.key()));
            } else {
                removed.add(edit.key());
            }
        }
        if (after.commits > options.compactAfter()) {
            try {
                compact(data);
            } catch (IOException | RuntimeException e) { // the write is durable; the next one tries again
                log().log(Level.WARNING, "could not compact " + data + " (the write itself is done): " + e.getMessage(), e);
            }
        }
        return new Commit(revision, written, removed);
    }

    /**
     * The log under the lock, ready for a write: fresh, not broken, and without a torn last line. A
     * last line that lacks only its newline (a hand edit) gets one; any other tail after the last
     * newline is a write that died midway and never was acknowledged: it is appended to
     * {@code <file>.broken} and cut off.
     */
    private State settled(Path data) throws IOException {
        State current = current(data).checked();
        if (current.torn == 0) {
            return current;
        }
        byte[] tail = readFrom(data, current.consumed);
        if (completesTheLog(data, current, tail)) {
            append(data, current, new byte[] {'\n'});
        } else {
            try (FileChannel broken = ops.openForAppend(sibling(data, ".broken"), FILE_MODE)) {
                ops.writeFully(broken, ByteBuffer.wrap(tail));
                ops.writeFully(broken, ByteBuffer.wrap(new byte[] {'\n'}));
                ops.force(broken);
            }
            ops.truncate(data, current.consumed);
            log().log(Level.WARNING, "the last line of " + data + " was torn by a write that did not finish (" + tail.length
                    + " bytes, never acknowledged); moved it to " + sibling(data, ".broken").getFileName());
        }
        return current(data).checked();
    }

    private boolean completesTheLog(Path data, State current, byte[] tail) {
        int end = tail.length;
        while (end > 0 && (tail[end - 1] == '\r' || tail[end - 1] == ' ' || tail[end - 1] == '\t')) {
            end--;
        }
        try {
            LogFormat.Line line = format.parse(tail, 0, end, current.lines + 1, data.toString());
            return line.revision() > current.revision;
        } catch (StoreBrokenException e) {
            return false;
        }
    }

    /**
     * Appends {@code line} and fsyncs it (and the folder, if the file is new). On failure the file
     * is cut back to its length before, so that a write that is reported failed does not stay.
     */
    private void append(Path data, State current, byte[] line) throws IOException {
        boolean created = !current.exists();
        try (FileChannel channel = ops.openForAppend(data, FILE_MODE)) {
            long before = channel.size();
            try {
                ops.writeFully(channel, ByteBuffer.wrap(line));
                ops.force(channel);
            } catch (IOException | RuntimeException e) {
                try {
                    channel.truncate(before);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed); // the line stays torn or whole; either way it was not acknowledged
                }
                throw e;
            }
        }
        if (created) {
            ops.forceDirectory(data.getParent());
        }
    }

    // ---------------------------------------------------------------- compaction

    /**
     * Replaces the log with a snapshot line of the state before the newest {@link Options#historyKept()}
     * commits, and those commits as they are. The log before is kept as {@code <file>.1}. Under the lock.
     */
    private void compact(Path data) throws IOException {
        byte[] bytes = ops.readAllBytes(data);
        State whole = current(data).checked();
        List<Integer> starts = new ArrayList<>(); // where each record's line begins
        for (int at = 0, newline; at < bytes.length && (newline = indexOf(bytes, (byte) '\n', at)) >= 0; at = newline + 1) {
            if (!blank(bytes, at, newline)) {
                starts.add(at);
            }
        }
        int keep = Math.min(options.historyKept(), whole.commits);
        int before = starts.size() - keep;
        int keptFrom = keep == 0 ? (int) whole.consumed : starts.get(before);
        State cut = fold(data, State.ABSENT, null, bytes, 0, 0, before + 1).checked();
        ByteArrayOutputStream compacted = new ByteArrayOutputStream();
        compacted.writeBytes(format.base(cut.revision, Instant.now(context.clock()), context.actor(), new ArrayList<>(cut.entries.values())));
        compacted.write(bytes, keptFrom, (int) whole.consumed - keptFrom);
        byte[] content = compacted.toByteArray();
        State check = fold(data, State.ABSENT, null, content, 0, 0, Integer.MAX_VALUE);
        if (check.broken != null || check.revision != whole.revision || !sameEntries(check.entries, whole.entries)) {
            throw new IllegalStateException("a compaction of " + data + " would not read back as the log it replaces; the log is left as it is");
        }
        Path previous = sibling(data, ".1");
        ops.deleteIfExists(previous);
        ops.linkOrCopy(previous, data);
        try (AtomicFile file = AtomicFile.begin(ops, data)) {
            file.write(ByteBuffer.wrap(content));
            file.cleanOrphans(); // an earlier compaction's, cut short by a crash
            file.commit();
        }
        current(data);
        log().log(Level.DEBUG, "compacted " + data + " to a snapshot at revision " + cut.revision + " and " + keep + " commits");
    }

    // ---------------------------------------------------------------- copies

    @Override
    public boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(history, "history");
        WriteRules.CopyCheck check = new WriteRules.CopyCheck(revision);
        Revisions.checkIncoming(revision, "the copy");
        List<Entry> copy = new ArrayList<>();
        while (entries.hasNext()) {
            Entry entry = check.entry(entries.next());
            secrets.checkPlaintext(entry.key(), entry.value(), configured.toString());
            copy.add(entry.withLine(0));
        }
        List<HistoryRecord> records = new ArrayList<>();
        history.forEachRemaining(record -> records.add(check.record(record)));
        Path data = StoreFiles.dataPath(configured);
        if (revision == 0 && copy.isEmpty()) {
            current(data).checked();
            return true; // nothing to write, and a store never written stays so
        }
        return locked(data, "load a copy into", () -> {
            State current = current(data).checked();
            if (current.revision != 0 || current.exists() && current.size > 0) {
                throw WriteRules.notNew(location(), current.revision);
            }
            byte[] content = copyContent(data, revision, copy, records);
            try (AtomicFile file = AtomicFile.begin(ops, data)) {
                file.write(ByteBuffer.wrap(content));
                file.commit();
            }
            current(data).checked();
            return true;
        });
    }

    /**
     * The log of a copy: the history as commit lines, if they read back as exactly that history,
     * then a snapshot line of the entries at {@code revision}.
     */
    private byte[] copyContent(Path data, long revision, List<Entry> entries, List<HistoryRecord> records) {
        byte[] base = format.base(revision, Instant.now(context.clock()), context.actor(), entries);
        if (records.isEmpty()) {
            return base;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int i = 0;
        while (i < records.size()) {
            HistoryRecord first = records.get(i);
            List<LogFormat.KeyChange> changes = new ArrayList<>();
            while (i < records.size() && records.get(i).revision() == first.revision()
                    && records.get(i).at().equals(first.at()) && records.get(i).by().equals(first.by())) {
                changes.add(new LogFormat.KeyChange(records.get(i).key(), records.get(i).newValue()));
                i++;
            }
            lines.writeBytes(format.changes(first.revision(), first.at(), first.by(), changes));
        }
        lines.writeBytes(base);
        byte[] content = lines.toByteArray();
        try {
            State read = fold(data, State.ABSENT, null, content, 0, 0, Integer.MAX_VALUE);
            if (read.broken == null && read.history.equals(records) && read.revision == revision) {
                return content;
            }
        } catch (RuntimeException e) {
            // not kept: the entries alone are
        }
        log().log(Level.DEBUG, "the history copied into " + data + " does not read back as it was; only the entries are kept");
        return base;
    }

    // ---------------------------------------------------------------- health

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
        StoreFiles.reportState(subject, current.broken, current.exists(), findings);
        if (current.broken == null && current.torn > 0) {
            findings.add(new Diagnostic(Diagnostic.Severity.WARNING, subject, "the last line (" + current.torn + " bytes) has no newline: a write "
                    + "under way, or one that died midway; the next write completes it if it is a whole record, else moves it to "
                    + sibling(data, ".broken").getFileName()));
        }
        StoreFiles.inspect(ops, data, List.of(StoreFiles.lockPath(data), sibling(data, ".broken")), findings, () -> { });
        return findings;
    }

    @Override
    public String toString() {
        return "NdjsonStore[" + location() + "]";
    }
}
