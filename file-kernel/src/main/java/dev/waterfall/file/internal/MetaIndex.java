package dev.waterfall.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.file.AtomicFile;
import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the metadata of one store says right now: the snapshot sidecar plus every history record
 * after it, read incrementally (a refresh reads only what was appended since the last one).
 *
 * <p>Thread-safe; one instance per store instance.
 */
public final class MetaIndex {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up and the security properties), which a command
     * such as {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(MetaIndex.class.getName());
    }

    private final Path snapshotFile;
    private final HistoryLog history;
    private final FileOps ops;
    private final JsonFactory json;

    private Stamp snapshotStamp;
    private Meta base = Meta.EMPTY;
    private Object historyKey;
    private long offset;
    private Map<Key, Object> changes = new HashMap<>(); // the records since the snapshot, over base.entries()
    private long revision;
    private String commitSha = "";
    private int tailRecords;
    private Recorded current = new Recorded(0, Map.of(), "", 0);

    /**
     * The recorded metadata.
     *
     * @param revision    the highest revision recorded
     * @param entries     per key metadata of the keys present after that revision
     * @param commitSha   the SHA-256 of the data file the last recorded write produced ("" if none)
     * @param tailRecords how many history records lie after the snapshot
     */
    public record Recorded(long revision, Map<Key, Meta.KeyMeta> entries, String commitSha, int tailRecords) {
    }

    public MetaIndex(Path snapshotFile, HistoryLog history, FileOps ops, JsonFactory json) {
        this.snapshotFile = snapshotFile;
        this.history = history;
        this.ops = ops;
        this.json = json;
    }

    /** The recorded metadata, after reading whatever the snapshot and history gained since the last call. */
    public synchronized Recorded refresh() throws IOException {
        Stamp snapshot = Stamp.of(snapshotFile);
        boolean reset = false;
        if (!snapshot.sameAs(snapshotStamp)) {
            base = readSnapshot();
            snapshotStamp = snapshot;
            reset = true;
        }
        Stamp historyStamp = Stamp.of(history.file());
        if (reset || !Objects.equals(historyStamp.fileKey(), historyKey) || historyStamp.size() < offset) {
            changes = new HashMap<>();
            revision = base.revision();
            commitSha = base.dataSha256();
            tailRecords = 0;
            historyKey = historyStamp.fileKey();
            boolean hintValid = historyStamp.exists() && !base.historyFile().isEmpty()
                    && base.historyFile().equals(String.valueOf(historyStamp.fileKey())) && base.historyOffset() <= historyStamp.size();
            offset = hintValid ? base.historyOffset() : 0;
            current = null;
        }
        if (historyStamp.exists() && historyStamp.size() > offset) {
            HistoryLog.Chunk chunk = history.readFrom(offset);
            for (Object line : chunk.lines()) {
                apply(line);
            }
            if (chunk.end() != offset) {
                current = null;
            }
            offset = chunk.end();
        }
        if (current == null) {
            current = new Recorded(revision, new LayeredMap<>(base.entries(), changes), commitSha, tailRecords);
        }
        return current;
    }

    private void apply(Object line) {
        if (line instanceof HistoryRecord record) {
            if (record.revision() <= base.revision()) {
                return; // already in the snapshot (a rescan from the start of the file)
            }
            if (record.newValue().isPresent()) {
                changes.put(record.key(), new Meta.KeyMeta(record.revision(), record.at(), record.by(), Hashes.valueHash(record.newValue().get())));
            } else {
                changes.put(record.key(), LayeredMap.REMOVED);
            }
            revision = Math.max(revision, record.revision());
            tailRecords++;
        } else if (line instanceof HistoryLog.CommitLine commit && commit.revision() > base.revision()) {
            commitSha = commit.dataSha256();
            revision = Math.max(revision, commit.revision());
        }
    }

    private Meta readSnapshot() throws IOException {
        byte[] content;
        try {
            content = ops.readAllBytes(snapshotFile);
        } catch (NoSuchFileException e) {
            return Meta.EMPTY;
        }
        try {
            return Meta.parse(content, json);
        } catch (IOException e) {
            log().log(Level.WARNING, snapshotFile + " is unreadable (" + e.getMessage() + "); rebuilding the metadata from the history");
            return Meta.EMPTY;
        }
    }

    /**
     * Writes a snapshot of everything recorded so far (atomically, without fsync: it is rebuilt
     * from the history when lost), so readers start from it instead of replaying the history. Call
     * only while holding the store's lock, right after a {@link #refresh()}.
     */
    public synchronized void compact() throws IOException {
        Stamp historyStamp = Stamp.of(history.file());
        Meta snapshot = new Meta(revision, commitSha, new LayeredMap<>(base.entries(), changes),
                historyStamp.exists() ? String.valueOf(historyStamp.fileKey()) : "", historyStamp.exists() ? offset : 0);
        AtomicFile.replaceWithoutSync(ops, snapshotFile, snapshot.render());
    }

    /** The snapshot file. */
    public Path snapshotFile() {
        return snapshotFile;
    }

    /** Records for the history API of a key's last known values. */
    public List<HistoryRecord> allHistory() throws IOException {
        return history.readAll();
    }
}
