package dev.waterfall.file;

import dev.waterfall.file.internal.RealFileOps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The file-system operations the kernel performs, one method per step of a write, so that a test
 * can make any single step fail on a real file system and check that nothing is lost. Put a
 * different instance into a Waterfall's services ({@code Waterfall.Builder#service}) to use it.
 *
 * <p>{@link #real()} is the only implementation programs need.
 */
public interface FileOps {

    /** The operations of the real file system. */
    static FileOps real() {
        return new RealFileOps();
    }

    /** Whether the file system has POSIX permissions (and so directory fsync is expected to work). */
    boolean isPosix();

    /** Reads a whole file. */
    byte[] readAllBytes(Path file) throws IOException;

    /**
     * Creates {@code directory}, which must not exist, with {@code permissions} set exactly
     * (regardless of the umask) where the file system has POSIX permissions.
     */
    void createDirectory(Path directory, Set<PosixFilePermission> permissions) throws IOException;

    /**
     * Creates a new file, failing if it exists, without following a symbolic link, with
     * {@code permissions} where the file system has them, and opens it for writing.
     */
    FileChannel createExclusive(Path file, Set<PosixFilePermission> permissions) throws IOException;

    /**
     * Opens an existing regular file for writing from its start, without following a symbolic
     * link, creating or truncating it (its old bytes are overwritten as new ones are written).
     */
    FileChannel openForOverwrite(Path file) throws IOException;

    /** Writes every byte of {@code bytes}, looping over short writes. */
    void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException;

    /** Forces a file's content and metadata to the device ({@code fsync}). */
    void force(FileChannel channel) throws IOException;

    /** Sets a file's permissions exactly (no-op where the file system has none). */
    void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException;

    /** The file's permissions, or {@code null} where the file system has none. */
    Set<PosixFilePermission> permissions(Path file) throws IOException;

    /** Makes {@code link} a hard link to {@code existing}, falling back to a copy where links are refused. */
    void linkOrCopy(Path link, Path existing) throws IOException;

    /** Renames {@code source} over {@code target} atomically. */
    void moveAtomically(Path source, Path target) throws IOException;

    /** Forces a directory's entries to the device, so a rename in it survives a power cut. */
    void forceDirectory(Path directory) throws IOException;

    /** Appends to a file (created with owner-only permissions if absent) with {@code O_APPEND}. */
    void append(Path file, byte[] bytes) throws IOException;

    /**
     * Opens {@code file} for appending (every write goes to its end, {@code O_APPEND}), creating it
     * with {@code permissions} if absent; never follows a symbolic link at {@code file}.
     */
    FileChannel openForAppend(Path file, Set<PosixFilePermission> permissions) throws IOException;

    /** Cuts a file down to {@code size} bytes. */
    void truncate(Path file, long size) throws IOException;

    /** Deletes a file if it exists. */
    void deleteIfExists(Path file) throws IOException;
}
