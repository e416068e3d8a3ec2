package dev.waterfall.contract;

import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The real file system, except that the n-th operation that changes something fails with an
 * {@link IOException}, as a full disk or a failing device would make it. Reads never fail, so each
 * step of a write can be failed on its own.
 */
public final class FaultyFileOps implements FileOps {

    private final FileOps real;
    private final int failAt;
    private final String failOperation;
    private int count;
    private volatile String failed;
    private volatile Consumer<Path> beforeRead = path -> { };

    /**
     * @param failAt which changing operation fails, counting from 1
     */
    public FaultyFileOps(FileOps real, int failAt) {
        this(real, failAt, null);
    }

    private FaultyFileOps(FileOps real, int failAt, String failOperation) {
        this.real = real;
        this.failAt = failAt;
        this.failOperation = failOperation;
    }

    /** File operations that fail the first call of one operation ({@code "force"}, say), whenever it comes. */
    public static FaultyFileOps failingFirst(FileOps real, String operation) {
        return new FaultyFileOps(real, -1, operation);
    }

    /**
     * Runs {@code hook} before each file read, as another process might act just before it (the
     * read itself then goes ahead on the real file system).
     *
     * @return this
     */
    public FaultyFileOps beforeRead(Consumer<Path> hook) {
        this.beforeRead = hook;
        return this;
    }

    /** The operation that failed ({@code name path}), or {@code null} if none has yet. */
    public String failed() {
        return failed;
    }

    private synchronized void step(String name, Object subject) throws IOException {
        count++;
        if (failOperation != null ? failed == null && failOperation.equals(name) : count == failAt) {
            failed = name + " " + subject;
            throw new IOException("injected failure at step " + count + ": " + failed);
        }
    }

    @Override
    public boolean isPosix() {
        return real.isPosix();
    }

    @Override
    public byte[] readAllBytes(Path file) throws IOException {
        beforeRead.accept(file);
        return real.readAllBytes(file);
    }

    @Override
    public void createDirectory(Path directory, Set<PosixFilePermission> permissions) throws IOException {
        step("createDirectory", directory);
        real.createDirectory(directory, permissions);
    }

    @Override
    public FileChannel createExclusive(Path file, Set<PosixFilePermission> permissions) throws IOException {
        step("createExclusive", file);
        return real.createExclusive(file, permissions);
    }

    @Override
    public FileChannel openForOverwrite(Path file) throws IOException {
        step("openForOverwrite", file);
        return real.openForOverwrite(file);
    }

    @Override
    public void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        step("writeFully", channel);
        real.writeFully(channel, bytes);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        step("force", channel);
        real.force(channel);
    }

    @Override
    public void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
        step("setPermissions", file);
        real.setPermissions(file, permissions);
    }

    @Override
    public Set<PosixFilePermission> permissions(Path file) throws IOException {
        return real.permissions(file);
    }

    @Override
    public void linkOrCopy(Path link, Path existing) throws IOException {
        step("linkOrCopy", link);
        real.linkOrCopy(link, existing);
    }

    @Override
    public void moveAtomically(Path source, Path target) throws IOException {
        step("moveAtomically", target);
        real.moveAtomically(source, target);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        step("forceDirectory", directory);
        real.forceDirectory(directory);
    }

    @Override
    public void append(Path file, byte[] bytes) throws IOException {
        step("append", file);
        real.append(file, bytes);
    }

    @Override
    public FileChannel openForAppend(Path file, Set<PosixFilePermission> permissions) throws IOException {
        step("openForAppend", file);
        return real.openForAppend(file, permissions);
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        step("truncate", file);
        real.truncate(file, size);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        step("deleteIfExists", file);
        real.deleteIfExists(file);
    }
}
