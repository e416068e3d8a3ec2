package dev.waterfall.file;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.file.internal.Modes;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every file Waterfall keeps does the same way, whatever its format: the file a symbolic
 * link stands for, folders created owner-only as the first write needs them, and the check that
 * others cannot read what is private. Used by the file stores, the NDJSON log and the secrets file.
 */
public final class StoreFiles {

    private StoreFiles() {
    }

    /**
     * The file actually read and written for {@code configured}: itself, or the target of a
     * symbolic link there (so a dotfile managed as a link stays a link), even a dangling one.
     */
    public static Path dataPath(Path configured) {
        try {
            if (Files.isSymbolicLink(configured)) {
                return configured.toRealPath();
            }
        } catch (IOException e) {
            // a dangling link: write where it points
            try {
                return configured.resolveSibling(Files.readSymbolicLink(configured)).normalize();
            } catch (IOException ignored) {
                return configured;
            }
        }
        return configured;
    }

    /** The lock file of the data file {@code data}: {@code <file>.lock} beside it. */
    public static Path lockPath(Path data) {
        return data.resolveSibling(data.getFileName() + ".lock");
    }

    /**
     * Runs {@code action} holding the lock of {@code data}, after creating its folders as a first
     * write needs them; an I/O failure becomes a {@link StoreUnavailableException} that names the
     * file and says nothing was changed ({@code what} says what was being done, e.g. "write"), a
     * rename left unsynced one that says so.
     */
    public static <T> T locked(FileOps ops, FileLocks locks, Path data, Duration timeout, String what, FileLocks.LockedAction<T> action) {
        try {
            ensureFolder(ops, data.getParent());
            return locks.withLock(lockPath(data), timeout, action);
        } catch (AtomicFile.UnsyncedRenameException e) {
            throw new StoreUnavailableException(e.getMessage() + "; the new content is in place but may not survive a power cut", e);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot " + what + " " + data + ": " + dev.waterfall.config.spi.Echo.cause(e) + "; nothing was changed", e);
        }
    }

    /**
     * Refuses {@code path}, a file or folder Waterfall creates itself beside a store (backups,
     * history, metadata, lock), when it is a symbolic link: a write through it would put Waterfall's
     * files, or delete backup-named ones, wherever the link points (issue 15, item 11). Nothing
     * Waterfall makes there is ever a link, so one is somebody else's doing.
     *
     * @param what what it is, for the message (e.g. "the backups folder")
     * @throws IOException naming it and saying what to do, if it is a symbolic link
     */
    public static void refuseLink(Path path, String what) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException(what + " " + path + " is a symbolic link; Waterfall creates it itself and never writes through a link: "
                    + "remove the link (the next write recreates it)");
        }
    }

    /** Adds an error to {@code findings} for each of {@code paths} (Waterfall's own files beside a store) that is a symbolic link. */
    public static void reportLinks(List<Path> paths, List<Diagnostic> findings) {
        for (Path path : paths) {
            if (Files.isSymbolicLink(path)) {
                findings.add(new Diagnostic(Diagnostic.Severity.ERROR, path.toString(), "is a symbolic link; Waterfall creates it itself "
                        + "and refuses to write through a link, so writes fail: remove the link (the next write recreates it)"));
            }
        }
    }

    /** More of a diagnosis that looks at files. */
    @FunctionalInterface
    public interface Inspection {
        void run() throws IOException;
    }

    /**
     * The finding every file store's diagnosis starts with, about the data file itself: broken (an
     * error naming what is wrong), or not written yet (information); none otherwise.
     */
    public static void reportState(String subject, Exception broken, boolean exists, List<Diagnostic> findings) {
        if (broken != null) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, subject, broken.getMessage()));
        } else if (!exists) {
            findings.add(new Diagnostic(Diagnostic.Severity.INFO, subject, "does not exist yet; the first write creates it (0600, folder 0700)"));
        }
    }

    /**
     * The inspection every file store's diagnosis ends with: the modes of the file, its folder, its
     * history, metadata and backups, none of {@code ownFiles} a link, then {@code more}; not being
     * able to look is one error.
     */
    public static void inspect(FileOps ops, Path data, List<Path> ownFiles, List<Diagnostic> findings, Inspection more) {
        try {
            checkModes(ops, data, findings);
            reportLinks(ownFiles, findings);
            more.run();
        } catch (IOException e) {
            findings.add(new Diagnostic(Diagnostic.Severity.ERROR, data.toString(), "cannot inspect: " + dev.waterfall.config.spi.Echo.cause(e)));
        }
    }

    /** Creates {@code folder} and any missing parents, each 0700, exactly as a first write needs them. */
    public static void ensureFolder(FileOps ops, Path folder) throws IOException {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        ensureFolder(ops, folder.getParent());
        try {
            ops.createDirectory(folder, Modes.DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new IOException(folder + " exists and is not a folder", e);
            }
        }
    }

    /**
     * Adds a warning to {@code findings} if others may read or write the file {@code path}, or write
     * to the folder {@code path}; nothing if it does not exist or the file system has no POSIX modes.
     */
    public static void checkMode(FileOps ops, Path path, boolean folder, List<Diagnostic> findings) throws IOException {
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
            String mode = PosixFilePermissions.toString(permissions);
            findings.add(new Diagnostic(Diagnostic.Severity.WARNING, path.toString(), (folder ? "folder" : "file") + " mode is " + mode
                    + (folder ? ", writable by others; chmod 700 it" : ", readable or writable by others; chmod 600 it")));
        }
    }

    /**
     * Adds a warning to {@code findings} for each of the store's files that others may read, and
     * for its folders if others may enter them: the store file, the files beside it that repeat its
     * values ({@code <file>.history.ndjson} with every old value, {@code <file>.meta.json}), the
     * {@code backups/} folder and every backup of this store in it. Each of them holds what the
     * store holds, so a store kept 0600 in a folder that others may list is exposed all the same
     * through a world-readable backup or history. Created by Waterfall they are 0600 and 0700;
     * other modes come from a copy, an unpack, a {@code chmod} or a tool that ignored them.
     */
    public static void checkModes(FileOps ops, Path data, List<Diagnostic> findings) throws IOException {
        checkMode(ops, data, false, findings);
        Path folder = data.toAbsolutePath().getParent();
        checkFolderPrivate(ops, folder, "the store's folder", findings);
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        String name = data.getFileName().toString();
        for (String sidecar : new String[] {".history.ndjson", ".meta.json"}) {
            checkMode(ops, folder.resolve(name + sidecar), false, findings);
        }
        Path backups = folder.resolve("backups");
        if (Files.isDirectory(backups, LinkOption.NOFOLLOW_LINKS)) {
            checkFolderPrivate(ops, backups, "the backups folder", findings);
            int dot = name.lastIndexOf('.');
            String stem = (dot > 0 ? name.substring(0, dot) : name) + ".";
            try (var entries = Files.newDirectoryStream(backups)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().startsWith(stem) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        checkMode(ops, entry, false, findings);
                    }
                }
            }
        }
    }

    /**
     * A warning if others than the owner may list or enter {@code folder} (0755, say): the store's
     * folder and its backups hold copies of every value, so Waterfall makes them 0700.
     */
    private static void checkFolderPrivate(FileOps ops, Path folder, String what, List<Diagnostic> findings) throws IOException {
        if (folder == null || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !ops.isPosix()) {
            return;
        }
        Set<PosixFilePermission> permissions = ops.permissions(folder);
        Set<PosixFilePermission> loose = new TreeSet<>(permissions);
        loose.removeAll(Modes.DIRECTORY);
        if (!loose.isEmpty()) {
            String mode = PosixFilePermissions.toString(permissions);
            findings.add(new Diagnostic(Diagnostic.Severity.WARNING, folder.toString(), what + " has mode " + mode + ": others may "
                    + (loose.contains(PosixFilePermission.OTHERS_WRITE) || loose.contains(PosixFilePermission.GROUP_WRITE)
                    ? "add, replace or remove files in it" : "list it and read whatever in it is not 0600")
                    + "; chmod 700 it"));
        }
    }
}
