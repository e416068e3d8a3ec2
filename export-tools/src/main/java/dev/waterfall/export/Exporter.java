package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.config.rows.RawEntryCursor;
import dev.waterfall.config.rows.RawEntrySource;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.export.internal.DigestingOutputStream;
import dev.waterfall.export.internal.DumpNames;
import dev.waterfall.export.internal.RowWriter;
import dev.waterfall.export.internal.SyncAhead;
import dev.waterfall.export.internal.ToolVersion;
import dev.waterfall.export.internal.WriteBehind;
import dev.waterfall.file.AtomicFile;
import dev.waterfall.file.FileLocks;
import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes dumps of stores: {@code <UTC yyyyMMdd'T'HHmmss'Z'>_<store>_export.<ext>} with its
 * {@code <same>_meta.json}, then points {@code latest_export.<ext>} at it, then applies retention.
 *
 * <p>What holds at every instant, whatever crashes:
 * <ul>
 *   <li>A file under a dump's final name is complete: the rows are written to a temp file
 *       ({@code .<name>.<random>.tmp}) in the target folder, fsynced and renamed. A crash leaves at
 *       most a temp file, which the next export into the folder deletes.</li>
 *   <li>{@code latest_export.<ext>} is always a complete dump: the newest one whose meta file was
 *       written. It is a hard link to that dump (a copy where the file system has no hard links),
 *       made under a temp name and renamed over the old one, so it is replaced atomically on every
 *       system, Windows included, and it opens like any file (no symbolic link). Treat dumps and
 *       the pointer as read-only: they share their bytes.</li>
 *   <li>Exports into one folder take turns, by a lock on {@code .waterfall-export.lock} there.</li>
 * </ul>
 *
 * <p>The rows come from {@link ConfigStore#cursor()}: all at one revision, in key order, and
 * streamed, so a store's size does not change the memory an export needs (for stores that stream;
 * file stores are in memory anyway). A store that is a {@link RawEntrySource} (the SQL stores)
 * gives its rows as text instead ({@link RawEntrySource#rawCursor(boolean)}), which is written without
 * decoding a value: the same bytes, with a fraction of the work.
 *
 * <p>A key that {@linkplain SecretPolicy#looksSecret looks like a secret} is withheld unless the request
 * {@linkplain ExportRequest#includeSecrets() includes secrets}: left out of the dump and named in the
 * meta file ({@link ExportMeta#withheldKeys()}), unless its value is a {@code ${secret:NAME}}
 * reference (docs/secrets.md: a dump is plaintext).
 *
 * <p>Never prints: progress goes to the request's listener. Thread-safe.
 */
public final class Exporter {

    private static final System.Logger LOG = System.getLogger(Exporter.class.getName());

    /** Progress is reported every this many rows. */
    static final int PROGRESS_EVERY = 10_000;

    /** A dump is fsynced as it grows, every this many bytes ({@link SyncAhead}). */
    static final long SYNC_EVERY = 16L << 20;

    private static final String LOCK_FILE = ".waterfall-export.lock";
    private static final Set<PosixFilePermission> FOLDER_MODE = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Clock clock;
    private final FileOps ops;
    private final FileLocks locks;
    private final String toolVersion;

    /**
     * @param clock the time source for file names and meta files
     * @param ops   the file operations (the real ones, or fault-injecting ones in a test)
     * @param locks the lock table shared with the stores of the same Waterfall instance
     */
    public Exporter(Clock clock, FileOps ops, FileLocks locks) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.toolVersion = ToolVersion.read();
    }

    /** An exporter in the world of a Waterfall instance: its clock, file operations and lock table. */
    public static Exporter of(StoreContext context) {
        return new Exporter(context.clock(),
                context.services().get(FileOps.class, FileOps::real),
                context.services().get(FileLocks.class, FileLocks::new));
    }

    /** The version of Waterfall written into meta files. */
    public String toolVersion() {
        return toolVersion;
    }

    /**
     * Exports {@code store} as the request says. Durable when it returns: the dump, its meta file
     * and {@code latest_export} are fsynced.
     *
     * @return what was written (or, with {@link ExportRequest#skipUnchanged()}, that nothing was)
     * @throws DumpException                 if the name is unfit or a file cannot be written; no dump is
     *                                       left under a final name
     * @throws CancellationException         if the request's cancellation said so; nothing is left behind
     * @throws dev.waterfall.config.StoreUnavailableException if the store cannot be read
     * @throws dev.waterfall.config.StoreBrokenException      if the store's content is broken
     */
    public ExportResult export(ConfigStore store, ExportRequest request) {
        String location = store.location();
        String storeName = request.storeName().orElseGet(() -> DumpNames.storeNameOf(StoreUri.parse(location)));
        DumpNames names = DumpNames.of(storeName, request.format());
        Path folder = request.directory().toAbsolutePath().normalize();
        try {
            ensureFolder(folder);
            return locks.withLock(folder.resolve(LOCK_FILE), request.lockTimeout(), () -> exportLocked(store, location, names, folder, request));
        } catch (IOException e) {
            throw new DumpException("cannot export " + location + " into " + folder + ": " + dev.waterfall.config.spi.Echo.cause(e)
                    + "; no partial dump was left under a final name", e);
        }
    }

    private ExportResult exportLocked(ConfigStore store, String location, DumpNames names, Path folder, ExportRequest request)
            throws IOException {
        cleanOrphans(folder, names);
        Instant started = clock.instant();
        if (store instanceof RawEntrySource source) {
            // Counting the rows costs the database a pass over them; only progress shown needs it.
            try (RawEntryCursor cursor = source.rawCursor(request.progress() != ExportProgress.NONE)) {
                return exportRows(cursor.revision(), cursor.size(), cursor::next, RowWriter::row, Exporter::withheld, location, names,
                        folder, request, started);
            }
        }
        try (EntryCursor cursor = store.cursor()) {
            return exportRows(cursor.revision(), cursor.size(), () -> cursor.hasNext() ? cursor.next() : null, RowWriter::row,
                    Exporter::withheld, location, names, folder, request, started);
        }
    }

    /** The rows of a cursor, one by one. */
    @FunctionalInterface
    private interface Rows<T> {
        /** The next row, or {@code null} after the last. */
        T next();
    }

    /** How a row of type {@code T} is written. */
    @FunctionalInterface
    private interface RowFormat<T> {
        void write(RowWriter writer, T row) throws IOException;
    }

    /** Which rows of type {@code T} are withheld unless secrets are included. */
    @FunctionalInterface
    private interface Withholding<T> {
        /** The row's key if the row is withheld, else {@code null}. */
        String withheld(T row);
    }

    /** The key of a row that looks like a secret and holds more than a reference to one; {@code null} for any other. */
    private static String withheld(RawEntryBytes row) {
        if (!SecretPolicy.looksSecret(row.bytes(), row.keyStart(), row.keyEnd())) {
            return null;
        }
        // A reference is written by every store as exactly "${secret:NAME}": NAME needs no escapes.
        String json = row.valueJson();
        boolean reference = json.length() > 2 && json.charAt(0) == '"' && json.charAt(json.length() - 1) == '"'
                && SecretPolicy.reference(Value.of(json.substring(1, json.length() - 1))).isPresent();
        return reference ? null : row.key();
    }

    private static String withheld(Entry row) {
        return SecretPolicy.looksSecret(row.key()) && SecretPolicy.reference(row.value()).isEmpty() ? row.key().path() : null;
    }

    /** Writes the dump of the rows of a cursor, its meta file and the pointer, and applies retention. */
    private <T> ExportResult exportRows(long revision, long total, Rows<T> cursor, RowFormat<T> format, Withholding<T> secrets,
                                        String location, DumpNames names, Path folder, ExportRequest request, Instant started)
            throws IOException {
        if (request.skipUnchanged()) {
            Optional<ExportResult> unchanged = unchanged(folder, names, location, revision, request.includeSecrets());
            if (unchanged.isPresent()) {
                return unchanged.get();
            }
        }
        // Two exports of one store in one second (say CSV then JSON, which share the meta name) would
        // collide: the later one's name moves on to the next free second; started_at keeps the truth.
        String dumpName = names.dump(started);
        for (int second = 1; taken(folder, dumpName) && second <= 60; second++) {
            dumpName = names.dump(started.plusSeconds(second));
        }
        Path dump = DumpNames.inside(folder, dumpName);
        Path meta = DumpNames.inside(folder, DumpNames.metaOf(dumpName));
        if (taken(folder, dumpName)) {
            throw new DumpException(dump + " and the names of the next 60 seconds are taken; nothing was replaced");
        }
        request.progress().update(0, total);
        long rows;
        long bytes;
        String sha;
        List<String> withheld = new ArrayList<>();
        try (AtomicFile file = AtomicFile.begin(ops, dump)) {
            // Rows are read and encoded on this thread; hashing and writing the bytes run on another,
            // and a third has the device write the file out as it grows.
            RowWriter writer;
            DigestingOutputStream digest;
            try (SyncAhead syncing = new SyncAhead(file::syncAhead, SYNC_EVERY, "waterfall-export-sync " + dumpName)) {
                digest = new DigestingOutputStream(syncing.counting(file.stream()));
                try (WriteBehind out = new WriteBehind(digest, "waterfall-export " + dumpName)) {
                    writer = new RowWriter(request.format(), out);
                    writer.begin();
                    long read = 0;
                    boolean withholding = !request.includeSecrets();
                    for (T row = cursor.next(); row != null; row = cursor.next()) {
                        if (request.cancelled().getAsBoolean()) {
                            throw new CancellationException("the export of " + location + " was stopped; no dump was written");
                        }
                        String secret = withholding ? secrets.withheld(row) : null;
                        if (secret == null) {
                            format.write(writer, row);
                        } else {
                            withheld.add(secret);
                        }
                        if (++read % PROGRESS_EVERY == 0) {
                            request.progress().update(read, total);
                        }
                    }
                    writer.end();
                    out.finish();
                }
                syncing.finish();
            }
            rows = writer.rows();
            bytes = digest.count();
            sha = digest.sha256Hex();
            file.commit();
        }
        Instant finished = clock.instant();
        ExportMeta details = new ExportMeta(ExportMeta.SCHEMA_VERSION, toolVersion, dumpName, request.format(), rows, bytes, sha,
                location, names.store(), revision, started, finished, request.includeSecrets(), withheld);
        try {
            AtomicFile.replace(ops, meta, details.render());
        } catch (IOException e) {
            throw new DumpException("the dump " + dump + " is complete, but its meta file " + meta + " could not be written: "
                    + e.getMessage() + "; " + names.latest() + " still is the previous dump", e);
        }
        request.progress().update(rows, total);
        Path latest = pointLatest(folder, names, dump);
        List<Path> removed = request.keep() > 0 ? retain(folder, names, request.keep()) : List.of();
        return new ExportResult(true, dump, meta, details, latest, removed);
    }

    private static boolean taken(Path folder, String dumpName) {
        return Files.exists(folder.resolve(dumpName)) || Files.exists(folder.resolve(DumpNames.metaOf(dumpName)));
    }

    /** The newest dump's result, if its meta file records this store at this revision, with secrets included or withheld alike. */
    private Optional<ExportResult> unchanged(Path folder, DumpNames names, String location, long revision, boolean secretsIncluded)
            throws IOException {
        for (Path dump : dumps(folder, names)) {
            Path metaFile = folder.resolve(DumpNames.metaOf(dump.getFileName().toString()));
            if (!Files.isRegularFile(metaFile)) {
                continue;
            }
            ExportMeta meta;
            try {
                meta = ExportMeta.read(metaFile);
            } catch (DumpException e) {
                LOG.log(Level.DEBUG, "ignoring " + metaFile + ": " + e.getMessage());
                continue;
            }
            if (meta.storeRevision() == revision && meta.source().equals(location) && meta.secretsIncluded() == secretsIncluded) {
                Path latest = folder.resolve(names.latest());
                if (!Files.exists(latest)) {
                    pointLatest(folder, names, dump);
                }
                return Optional.of(new ExportResult(false, dump, metaFile, meta, latest, List.of()));
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Makes {@code latest_export.<ext>} the dump: a hard link (or copy) under a temp name, fsynced, renamed over. */
    private Path pointLatest(Path folder, DumpNames names, Path dump) throws IOException {
        Path latest = DumpNames.inside(folder, names.latest());
        Path temp = folder.resolve("." + names.latest() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            ops.linkOrCopy(temp, dump);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ops.force(channel); // a no-op for a link; makes a fallback copy durable before it is renamed
            }
            ops.moveAtomically(temp, latest);
            done = true;
            ops.forceDirectory(folder);
        } catch (IOException e) {
            throw new DumpException("the dump " + dump + " is complete, but " + latest + " could not be pointed at it: " + e.getMessage()
                    + (done ? "" : "; it still is the previous dump"), e);
        } finally {
            if (!done) {
                ops.deleteIfExists(temp);
            }
        }
        return latest;
    }

    /** Deletes all but the newest {@code keep} dumps of this store and format, with their meta files. */
    private List<Path> retain(Path folder, DumpNames names, int keep) throws IOException {
        List<Path> dumps = dumps(folder, names);
        List<Path> removed = new ArrayList<>();
        for (Path old : dumps.subList(Math.min(keep, dumps.size()), dumps.size())) {
            Path metaFile = folder.resolve(DumpNames.metaOf(old.getFileName().toString()));
            ops.deleteIfExists(metaFile); // the meta first: a dump without meta is never taken for the newest complete one
            removed.add(metaFile);
            ops.deleteIfExists(old);
            removed.add(old);
        }
        return removed;
    }

    /** This store's dumps of this format in the folder, newest first. */
    private static List<Path> dumps(Path folder, DumpNames names) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> names.isDump(file.getFileName().toString()) && Files.isRegularFile(file))
                    .sorted(Comparator.comparing((Path file) -> file.getFileName().toString()).reversed())
                    .toList();
        }
    }

    /** Deletes temp files of this store's exports left by a crash; safe because exports into a folder take turns. */
    private void cleanOrphans(Path folder, DumpNames names) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(file -> names.isTemp(file.getFileName().toString())).toList()) {
                LOG.log(Level.DEBUG, "deleting " + file + ", left by an interrupted export");
                ops.deleteIfExists(file);
            }
        }
    }

    private void ensureFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            ensureFolder(parent);
        }
        try {
            ops.createDirectory(folder, FOLDER_MODE);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new IOException(folder + " exists and is not a folder", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Exporter[" + toolVersion + "]";
    }
}
