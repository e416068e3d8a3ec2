package dev.waterfall.file;

import dev.waterfall.config.Backup;
import dev.waterfall.config.Backups;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.engine.Revisions;
import dev.waterfall.file.internal.BackupDirectory;
import dev.waterfall.file.internal.Hashes;
import dev.waterfall.file.internal.HistoryLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The backups of a {@link FileStore}, as {@link Backups}: the versions kept in {@code backups/}
 * listed with what is wrong with each, and a restore, which is a write like any other (under the
 * lock, by the durable-file protocol, recorded in the history at a new revision). Out of
 * {@code FileStore} so that each phase of a file store reads in one sitting: the store's reads and
 * state, its commit protocol, and this.
 */
final class FileStoreBackups implements Backups {

    private final FileStore store;

    FileStoreBackups(FileStore store) {
        this.store = store;
    }


    @Override
    public List<Backup> list() {
        Path data = StoreFiles.dataPath(store.configured);
        try {
            List<Backup> result = new ArrayList<>();
            for (BackupDirectory.BackupFile file : store.backupDirectory(data).list()) {
                describe(file).ifPresent(result::add);
            }
            return result;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot list the backups of " + data + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    /**
     * The backup with what is wrong with it, if anything; empty if a write pruned it while it
     * was being read (this takes no lock): deleted, or moved away to hold a new version, which
     * a write does before it overwrites a single byte, so a read that failed on a file gone
     * from the folder afterwards says nothing about the backup.
     */
    private Optional<Backup> describe(BackupDirectory.BackupFile file) {
        Optional<String> problem;
        try {
            store.codec.parse(store.ops.readAllBytes(file.path()), file.path().toString());
            problem = Optional.empty();
        } catch (StoreBrokenException e) {
            problem = Optional.of(e.getMessage());
        } catch (IOException e) {
            problem = Optional.of("cannot read it: " + dev.waterfall.config.spi.Echo.cause(e));
        }
        if (problem.isPresent() && !Files.exists(file.path(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new Backup(file.name(), file.path().toString(), file.takenAt(), file.bytes(), problem));
    }

    @Override
    public Restored restore(Optional<String> name) {
        Path data = StoreFiles.dataPath(store.configured);
        return store.locked(data, "restore", () -> restoreLocked(data, name));
    }

    private Restored restoreLocked(Path data, Optional<String> name) throws IOException {
        BackupDirectory directory = store.backupDirectory(data);
        BackupDirectory.BackupFile chosen = null;
        Document restored = null;
        byte[] bytes = null;
        for (BackupDirectory.BackupFile file : directory.list()) {
            if (name.isPresent() && !name.get().equals(file.name())) {
                continue;
            }
            byte[] content = store.ops.readAllBytes(file.path());
            try {
                restored = store.codec.parse(content, file.path().toString());
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
        if (chosen == null && name.isPresent()) {
            // The store is as it was; the request named something that is not there.
            throw new InvalidValueException("no backup named " + name.get() + " in " + directory.folder()
                    + "; see `waterfall backups list`");
        }
        if (chosen == null) {
            throw new StoreBrokenException(data.toString(), 0, 0, "no valid backup in " + directory.folder() + "; fix the file by hand");
        }

        FileStore.State current = store.currentLocked(data);
        boolean broken = current.broken != null;
        Optional<String> movedAside = Optional.empty();
        if (broken) {
            Path aside = directory.brokenName(data);
            store.ops.moveAtomically(data, aside);
            store.ops.forceDirectory(data.getParent());
            movedAside = Optional.of(aside.toString());
        }
        AtomicFile.cleanOrphans(store.ops, data);
        try (AtomicFile file = AtomicFile.begin(store.ops, data)) {
            file.write(ByteBuffer.wrap(bytes));
            if (!broken && current.dataStamp.exists() && !current.clean()) {
                directory.take(data); // a version someone else wrote: no backup holds it yet
            }
            file.commit();
        }
        store.keepBackup(directory, bytes);
        store.pruneBackups(directory);
        List<HistoryRecord> takenBack = takenBack(data, bytes, chosen.takenAt());

        // Record the restore as a write: every key whose value it changed, at one new revision.
        // A broken file's values are unknown, so every recorded key counts as changed.
        Instant now = Instant.now(store.context.clock());
        Map<Key, Value> before = current.values();
        long revision = Revisions.next(broken ? current.recorded.revision() : current.view.revision(), store.location());
        Set<Key> keys = FileStore.unionKeys(before, restored.values());
        if (broken) {
            keys.addAll(current.recorded.entries().keySet());
        }
        List<HistoryRecord> records = new ArrayList<>();
        for (Key key : keys) {
            Value old = before.get(key);
            Value restoredValue = restored.values().get(key);
            if (broken || !Objects.equals(old, restoredValue)) {
                records.add(new HistoryRecord(revision, now, store.context.actor(), key, Optional.ofNullable(old), Optional.ofNullable(restoredValue)));
            }
        }
        FileStore.State base = broken ? new FileStore.State(current.dataStamp, null, "", current.recorded,
                new FileStore.View(Map.of(), current.recorded.revision(), Map.of()), null) : current;
        store.record(data, base, restored, Hashes.sha256(bytes), records, now);
        // Described from what was read above: retention may have pruned the chosen file since.
        Backup from = new Backup(chosen.name(), chosen.path().toString(), chosen.takenAt(), chosen.bytes(), Optional.empty());
        return new Restored(from, movedAside, records.isEmpty() ? base.view.revision() : revision, takenBack);
    }

    /**
     * The recorded changes a restore of {@code restored} takes back: those after the write that
     * produced exactly these bytes (its commit line names their SHA-256), or, for a version no
     * recorded write produced, those after the backup was taken.
     */
    private List<HistoryRecord> takenBack(Path data, byte[] restored, Instant takenAt) throws IOException {
        String sha = Hashes.sha256(restored);
        long producedAt = -1;
        List<HistoryRecord> records = new ArrayList<>();
        HistoryLog log = store.history(data);
        if (log.size() > 0) {
            for (Object line : log.readFrom(0).lines()) {
                if (line instanceof HistoryLog.CommitLine commit && commit.dataSha256().equals(sha)) {
                    producedAt = commit.revision();
                } else if (line instanceof HistoryRecord record) {
                    records.add(record);
                }
            }
        }
        long after = producedAt;
        List<HistoryRecord> taken = new ArrayList<>();
        for (HistoryRecord record : records) {
            if (after >= 0 ? record.revision() > after : record.at().isAfter(takenAt)) {
                taken.add(record);
            }
        }
        return taken;
    }
}
