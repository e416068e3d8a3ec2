package dev.waterfall.file.internal;

import dev.waterfall.file.FileOps;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code backups/} folder beside a store's file: before each write the current version is kept
 * as {@code backups/<name>.<UTC yyyyMMdd'T'HHmmss.SSS'Z'>.<ext>} (no colons, for Windows), as a
 * hard link to the replaced file where the file system allows (no copy, no extra fsync), and only
 * the newest {@code keep} are kept.
 *
 * <p>Every backup is a version that parsed when it was replaced, because a write refuses to
 * replace a file that does not parse; so keeping the newest {@code keep} always keeps the newest
 * valid one.
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
        if (!Files.isDirectory(folder)) {
            try {
                ops.createDirectory(folder, Modes.DIRECTORY);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created by someone else meanwhile
            }
        }
        String stamp = STAMP.format(clock.instant());
        Path backup = folder.resolve(stem + "." + stamp + extension);
        for (int n = 2; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); n++) {
            backup = folder.resolve(stem + "." + stamp + "-" + n + extension);
        }
        ops.linkOrCopy(backup, dataFile);
        return backup;
    }

    /** Deletes all but the newest {@code keep} backups (by the time in their names; nothing else is read). */
    public void prune() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
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
        if (named.size() <= keep) {
            return;
        }
        named.sort(Comparator.comparing((String[] pair) -> pair[0]).reversed());
        for (int i = keep; i < named.size(); i++) {
            ops.deleteIfExists(folder.resolve(named.get(i)[1]));
        }
    }

    /** The backups, newest first. */
    public List<BackupFile> list() throws IOException {
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
