package dev.waterfall.file.internal;

import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code backups/} folder beside a store's file, {@code backups/<name>.<UTC
 * yyyyMMdd'T'HHmmss.SSS'Z'>.<ext>} (no colons, for Windows), of which only the newest {@code keep}
 * are kept. Each write keeps the version it wrote ({@link #keep}), so the newest backup is always
 * the last state Waterfall wrote: a hand edit that breaks the file is undone by restoring it and
 * takes no write with it (before, backups held the version each write replaced, and restoring
 * the newest silently took back the last write; issue 15, item 3). A version someone else wrote is
 * kept as a hard link just before a write replaces it ({@link #take}), so it is not lost either.
 *
 * <p>Every backup is a version that parsed, because a write refuses to replace a file that does
 * not parse and checks what it writes; so keeping the newest {@code keep} always keeps the newest
 * valid one. A copy, not a link, is kept of the written version: an editor that rewrites the file
 * in place would otherwise change the backup with it.
 */
public final class BackupDirectory {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final String stem;
    private final String extension;
    private final Pattern namePattern;
    private final FileOps ops;
    private final Clock clock;
    private final int keep;

    /** One kept version. */
    public record BackupFile(String name, Path path, Instant takenAt, long bytes) {
    }

    /**
     * @param dataFile the store's file
     * @param keep     how many backups to keep (at least 1)
     */
    public BackupDirectory(Path dataFile, FileOps ops, Clock clock, int keep) {
        this.folder = dataFile.toAbsolutePath().resolveSibling("backups");
        String name = dataFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = dot > 0 ? name.substring(0, dot) : name;
        this.extension = dot > 0 ? name.substring(dot) : "";
        this.namePattern = Pattern.compile(Pattern.quote(stem) + "\\.(\\d{8}T\\d{6}\\.\\d{3}Z)(?:-(\\d+))?" + Pattern.quote(extension));
        this.ops = ops;
        this.clock = clock;
        this.keep = Math.max(1, keep);
    }

    /** The folder. */
    public Path folder() {
        return folder;
    }

    /**
     * Keeps the current version of {@code dataFile} (which is about to be replaced).
     *
     * @return the backup's path
     */
    public Path take(Path dataFile) throws IOException {
        ensureFolder();
        String stamp = STAMP.format(clock.instant());
        Path backup = folder.resolve(stem + "." + stamp + extension);
        for (int n = 2; ; n++) {
            try {
                ops.linkOrCopy(backup, dataFile); // no look first: the name is free nearly always
                return backup;
            } catch (FileAlreadyExistsException e) {
                backup = folder.resolve(stem + "." + stamp + "-" + n + extension); // two writes in one millisecond
            }
        }
    }

    /**
     * Keeps {@code content}, the version a write just put in place, as the newest backup: written
     * to a temp file in the folder and renamed to its name, without fsync (a backup lost in a power
     * cut is a backup fewer, never a broken one under a backup's name).
     *
     * @return the backup's path
     */
    public Path keep(byte[] content) throws IOException {
        ensureFolder();
        String stamp = STAMP.format(clock.instant());
        Path backup = folder.resolve(stem + "." + stamp + extension);
        for (int n = 2; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); n++) {
            backup = folder.resolve(stem + "." + stamp + "-" + n + extension); // two writes in one millisecond
        }
        dev.waterfall.file.AtomicFile.replaceWithoutSync(ops, backup, content);
        return backup;
    }

    /**
     * Refuses a folder that is a symbolic link (see {@link dev.waterfall.file.StoreFiles#refuseLink}):
     * backups would be written into, and backup-named files deleted or reused from, wherever it points.
     */
    public void checkFolder() throws IOException {
        dev.waterfall.file.StoreFiles.refuseLink(folder, "the backups folder");
    }

    private void ensureFolder() throws IOException {
        checkFolder();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                ops.createDirectory(folder, Modes.DIRECTORY);
            } catch (FileAlreadyExistsException e) {
                // created by someone else meanwhile
            }
        }
    }

    /** Deletes all but the newest {@code keep} backups (by the time in their names; nothing else is read). */
    public void prune() throws IOException {
        List<String> expired = expired(0);
        for (String name : expired) {
            ops.deleteIfExists(folder.resolve(name));
        }
    }

    /**
     * Prunes ahead of a write that is about to keep one more version ({@code willTake}), so that
     * the newest {@code keep} remain after it, and hands the oldest expired backup back instead of
     * deleting it when nothing else links to it: the write reuses it as its temp file
     * ({@link dev.waterfall.file.AtomicFile#beginReusing}). Deleting a file frees its blocks and
     * writing a new one allocates others; on ext4 each costs about as much as an fsync's wait, and
     * a write that recycles the expired version does neither (PostgreSQL recycles its WAL segments
     * for the same reason).
     *
     * <p>With {@code keep} 1, nothing is pruned ahead: the write's failure would leave no backup;
     * {@link #prune()} after the write then applies the retention. A backup with another name (a
     * hard link someone made to keep it, or a backup that is still the store's file), a symbolic
     * link, or a file system without {@code unix} attributes is deleted as {@link #prune()} would,
     * never reused.
     *
     * @return the backup to reuse, if any; it is still in the folder until the write moves it.
     *         When empty, call {@link #prune()} after the write.
     */
    public Optional<Path> pruneAhead(boolean willTake) throws IOException {
        int room = willTake ? 1 : 0;
        if (keep - room < 1) {
            return Optional.empty(); // keep = 1: the one kept goes only when its successor is in place (prune after the write)
        }
        List<String> expired = expired(room);
        if (expired.isEmpty()) {
            return Optional.empty();
        }
        for (String name : expired.subList(0, expired.size() - 1)) {
            ops.deleteIfExists(folder.resolve(name));
        }
        Path oldest = folder.resolve(expired.get(expired.size() - 1));
        if (reusable(oldest)) {
            return Optional.of(oldest);
        }
        ops.deleteIfExists(oldest);
        return Optional.empty();
    }

    private static boolean reusable(Path backup) {
        try {
            Map<String, Object> attributes = Files.readAttributes(backup, "unix:nlink,isRegularFile", LinkOption.NOFOLLOW_LINKS);
            return Boolean.TRUE.equals(attributes.get("isRegularFile")) && Integer.valueOf(1).equals(attributes.get("nlink"));
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return false; // no unix attributes here (Windows), or gone: not reused
        }
    }

    /** The names of the backups beyond the newest {@code keep - room}, newest first. */
    private List<String> expired(int room) throws IOException {
        checkFolder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        int kept = Math.max(0, keep - room);
        List<String[]> named = new ArrayList<>(); // {sort key, name}
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher matcher = namePattern.matcher(name);
                if (matcher.matches()) {
                    String sequence = matcher.group(2) == null ? "1" : matcher.group(2);
                    named.add(new String[] {matcher.group(1) + "0".repeat(Math.max(0, 9 - sequence.length())) + sequence, name});
                }
            }
        }
        if (named.size() <= kept) {
            return List.of();
        }
        named.sort(Comparator.comparing((String[] pair) -> pair[0]).reversed());
        List<String> expired = new ArrayList<>();
        for (int i = kept; i < named.size(); i++) {
            expired.add(named.get(i)[1]);
        }
        return expired;
    }

    /** The backups, newest first. */
    public List<BackupFile> list() throws IOException {
        checkFolder();
        List<BackupFile> backups = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return backups;
        }
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher matcher = namePattern.matcher(name);
                if (matcher.matches()) {
                    try {
                        Instant at = STAMP.parse(matcher.group(1), Instant::from);
                        int sequence = matcher.group(2) == null ? 1 : Integer.parseInt(matcher.group(2));
                        backups.add(new BackupFile(name, entry, at.plusNanos(sequence), Files.size(entry)));
                    } catch (NoSuchFileException e) {
                        // pruned meanwhile
                    } catch (RuntimeException e) {
                        // a name that only looks like ours
                    }
                }
            }
        }
        backups.sort(Comparator.comparing(BackupFile::takenAt).reversed());
        return backups;
    }

    /** A name for moving a broken file aside: {@code <file>.broken-<stamp>}. */
    public Path brokenName(Path dataFile) {
        Path aside = dataFile.resolveSibling(dataFile.getFileName() + ".broken-" + STAMP.format(clock.instant()));
        for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
            aside = dataFile.resolveSibling(dataFile.getFileName() + ".broken-" + STAMP.format(clock.instant()) + "-" + n);
        }
        return aside;
    }
}
