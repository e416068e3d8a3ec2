package dev.waterfall.file;

import dev.waterfall.file.internal.Modes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file being written to a temporary name in its final folder, that replaces the target
 * atomically and durably on {@link #commit()}: the temp file is fsynced, renamed over the target
 * and the folder is fsynced. Until then the target is untouched; {@link #close()} without a commit
 * deletes the temp file. A crash leaves at most an orphan temp file named
 * {@code .<target name>.<random>.tmp}, which {@link #cleanOrphans} removes.
 *
 * <p>The new file gets the target's current mode, or 0600 when the target is new.
 *
 * <p>Not thread-safe; one writer per instance.
 */
public final class AtomicFile implements AutoCloseable {

    private static final String TEMP_SUFFIX = ".tmp";

    private final FileOps ops;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final boolean reused;
    private boolean finished;

    private AtomicFile(FileOps ops, Path target, Path temp, FileChannel channel, boolean reused) {
        this.ops = ops;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.reused = reused;
    }

    /**
     * Starts writing a replacement for {@code target}; its folder must exist.
     */
    public static AtomicFile begin(FileOps ops, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Set<PosixFilePermission> mode = modeFor(ops, absolute);
        Path temp = tempFor(absolute);
        FileChannel channel = ops.createExclusive(temp, Modes.FILE);
        AtomicFile file = new AtomicFile(ops, absolute, temp, channel, false);
        if (!mode.equals(Modes.FILE)) {
            file.setMode(mode);
        }
        return file;
    }

    /**
     * Starts writing a replacement for {@code target} into {@code spare}, a file that is no longer
     * needed (an expired backup, see {@code BackupDirectory#pruneAhead}) on the same file system:
     * it is renamed to the temp name, overwritten in place, cut to the new length and given the
     * target's mode. The file system then neither allocates blocks for the new file nor frees the
     * spare's. {@code spare} must be a regular file that no other name links to, and nobody may
     * read it any more: its bytes are overwritten. If it cannot be moved (gone meanwhile), this is
     * {@link #begin}; if it cannot be opened, it is deleted like any abandoned temp file.
     */
    public static AtomicFile beginReusing(FileOps ops, Path target, Path spare) throws IOException {
        Path absolute = target.toAbsolutePath();
        Set<PosixFilePermission> mode = modeFor(ops, absolute);
        Path temp = tempFor(absolute);
        try {
            ops.moveAtomically(spare, temp);
        } catch (NoSuchFileException e) {
            return begin(ops, target);
        }
        FileChannel channel;
        try {
            channel = ops.openForOverwrite(temp);
        } catch (IOException | RuntimeException e) {
            try {
                ops.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed); // an orphan: the next locked write cleans it
            }
            throw e;
        }
        AtomicFile file = new AtomicFile(ops, absolute, temp, channel, true);
        file.setMode(mode); // the spare has the mode of the version it was
        return file;
    }

    private static Set<PosixFilePermission> modeFor(FileOps ops, Path target) throws IOException {
        try {
            Set<PosixFilePermission> existing = ops.permissions(target);
            if (existing != null && !existing.contains(PosixFilePermission.OWNER_WRITE)) {
                // The owner took the write permission away: that says "do not change this file". A
                // rename over it would succeed all the same (the folder is writable, and root may
                // write anything), so it is refused here rather than done without a word.
                throw new ReadOnlyFileException(target, existing);
            }
            if (existing != null) {
                return existing;
            }
        } catch (NoSuchFileException e) {
            // new file: owner-only
        }
        return Modes.FILE;
    }

    private void setMode(Set<PosixFilePermission> mode) throws IOException {
        try {
            ops.setPermissions(temp, mode);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A file whose owner has no write permission, which a replacement refuses to replace.
     */
    public static final class ReadOnlyFileException extends java.nio.file.AccessDeniedException {
        private static final long serialVersionUID = 1L;

        ReadOnlyFileException(Path file, Set<PosixFilePermission> mode) {
            super(file.toString(), null, "the file is read-only (mode " + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                    + "), so it is not replaced; chmod u+w " + file + " to allow writes");
        }
    }

    /**
     * Replaces {@code target} with {@code content}, atomically and durably, giving the new file
     * {@code mode} whatever the old one had (a secrets file is owner-only even if it was not).
     */
    public static void replace(FileOps ops, Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        try (AtomicFile file = begin(ops, target)) {
            if (ops.isPosix()) {
                file.setMode(mode);
            }
            file.write(ByteBuffer.wrap(content));
            file.commit();
        }
    }

    /**
     * Replaces {@code target} with {@code content}, atomically and durably.
     */
    public static void replace(FileOps ops, Path target, byte[] content) throws IOException {
        try (AtomicFile file = begin(ops, target)) {
            file.write(ByteBuffer.wrap(content));
            file.commit();
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically but without fsync: for derived files
     * (metadata) that may be lost in a power cut and are rebuilt when they are.
     */
    public static void replaceWithoutSync(FileOps ops, Path target, byte[] content) throws IOException {
        try (AtomicFile file = begin(ops, target)) {
            file.write(ByteBuffer.wrap(content));
            file.channel.close();
            ops.moveAtomically(file.temp, target);
            file.finished = true;
        }
    }

    private static Path tempFor(Path target) {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return target.resolveSibling("." + target.getFileName() + "." + random + TEMP_SUFFIX);
    }

    /**
     * Whether {@code name} is a temp file of {@code targetName}: {@code .<target name>.<anything>.tmp},
     * the pattern docs/protocol.md asks every writer (in any language) to use. Temp files are only
     * written under the lock, so one found while holding the lock is an orphan.
     */
    public static boolean isTempOf(String name, String targetName) {
        return name.startsWith("." + targetName + ".") && name.endsWith(TEMP_SUFFIX)
                && name.length() > targetName.length() + 2 + TEMP_SUFFIX.length();
    }

    /**
     * Deletes orphan temp files of {@code target} left by a crash. Call only while holding the
     * target's lock, or a live writer's temp file could be taken for an orphan.
     *
     * @return how many were deleted
     */
    public static int cleanOrphans(FileOps ops, Path target) throws IOException {
        return cleanOrphans(ops, target, null);
    }

    /**
     * Deletes orphan temp files of this file's target, except this file's own temp file: for a
     * writer that cleans up while the device syncs. Call only while holding the target's lock.
     *
     * @return how many were deleted
     */
    public int cleanOrphans() throws IOException {
        return cleanOrphans(ops, target, temp);
    }

    private static int cleanOrphans(FileOps ops, Path target, Path own) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        int deleted = 0;
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        // Listed whole and matched by isTempOf: a glob filter compiles a regex on every call, and
        // this runs on every write.
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (isTempOf(entry.getFileName().toString(), name) && (own == null || !entry.getFileName().equals(own.getFileName()))
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    ops.deleteIfExists(entry);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The file this will replace. */
    public Path target() {
        return target;
    }

    /** Writes bytes to the temp file. */
    public void write(ByteBuffer bytes) throws IOException {
        ops.writeFully(channel, bytes);
    }

    /**
     * An output stream into the temp file, for large content. Buffer it; closing it does not
     * commit.
     */
    public OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                AtomicFile.this.write(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                AtomicFile.this.write(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    /**
     * Fsyncs the temp file, renames it over the target and fsyncs the folder. After an error the
     * temp file is deleted and nothing is retried: the caller reports the failure.
     */
    public void commit() throws IOException {
        sync();
        renameSynced();
        syncFolder();
    }

    /**
     * Fsyncs what has been written to the temp file so far, for a large file, from another thread
     * while the writes go on: the device writes the file out as it grows, and {@link #sync()} at the
     * end waits only for the rest (the kernel would otherwise hold every page until then). Nothing
     * is durable until {@link #commit()}; a failure here must fail the write, since a later fsync
     * need not report the same error again.
     */
    public void syncAhead() throws IOException {
        ops.force(channel);
    }

    /**
     * Fsyncs the temp file: the first step of {@link #commit()}, for a caller that does other work
     * while the device catches up (it may run on another thread than the writes, never at the same
     * time as them). On failure the temp file is deleted.
     */
    public void sync() throws IOException {
        if (finished) {
            throw new IllegalStateException("already finished: " + target);
        }
        try {
            if (reused && channel.size() > channel.position()) {
                ops.truncate(temp, channel.position()); // the spare's tail, beyond the new content
            }
            ops.force(channel);
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /**
     * Renames the temp file, already {@linkplain #sync() synced}, over the target; the rename is
     * durable only after {@link #syncFolder()}. On failure the temp file is deleted.
     */
    public void renameSynced() throws IOException {
        if (finished) {
            throw new IllegalStateException("already finished: " + target);
        }
        try {
            channel.close();
            ops.moveAtomically(temp, target);
            finished = true;
        } finally {
            if (!finished) {
                abandon();
            }
        }
    }

    /**
     * Fsyncs the target's folder, making a rename durable.
     *
     * @throws UnsyncedRenameException if the folder cannot be synced
     */
    public void syncFolder() throws IOException {
        try {
            ops.forceDirectory(target.getParent());
        } catch (IOException e) {
            throw new UnsyncedRenameException(target, e);
        }
    }

    /**
     * The rename happened but the folder could not be fsynced: the new content is in place but a
     * power cut could still undo it, so the write must not be reported as durable.
     */
    public static final class UnsyncedRenameException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsyncedRenameException(Path target, IOException cause) {
            super("replaced " + target + " but could not fsync its folder: " + cause.getMessage(), cause);
        }
    }

    private void abandon() {
        finished = true;
        try {
            channel.close();
        } catch (IOException e) {
            // the temp file is deleted below either way
        }
        try {
            ops.deleteIfExists(temp);
        } catch (IOException e) {
            // an orphan: the next locked write cleans it
        }
    }

    /** Deletes the temp file unless {@link #commit()} succeeded. */
    @Override
    public void close() {
        if (!finished) {
            abandon();
        }
    }
}
