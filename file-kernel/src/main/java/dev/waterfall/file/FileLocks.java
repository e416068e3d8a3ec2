package dev.waterfall.file;

import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.file.internal.Modes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock protocol of docs/architecture.md, "The durable-file protocol": an exclusive POSIX record lock on a separate
 * {@code <file>.lock}, guarded by one in-process lock per canonical path.
 *
 * <p>Why both: a POSIX lock belongs to the process, so two threads of one JVM would both "hold" it,
 * and closing <em>any</em> descriptor of the lock file silently drops it. So each lock file is
 * opened once, by this object, and kept open until {@link #close()}; threads queue on the
 * in-process lock first. The lock file is never deleted or renamed.
 *
 * <p>One instance is shared by all stores of a Waterfall instance (through its services). Two
 * instances in one JVM on the same file still exclude each other (the JVM refuses overlapping
 * locks and we wait), but closing one while the other holds the lock would drop it: open every
 * store of a file through one Waterfall instance.
 *
 * <p>Thread-safe.
 */
public final class FileLocks implements AutoCloseable {

    private final Map<Path, Holder> holders = new ConcurrentHashMap<>();

    private static final class Holder {
        final ReentrantLock inProcess = new ReentrantLock();
        FileChannel channel;
        FileLock fileLock;
    }

    /** Work done while holding a lock. */
    @FunctionalInterface
    public interface LockedAction<T> {
        /** Does the work; the lock is released when it returns or throws. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the lock on {@code lockFile} (created 0600, without following a
     * symbolic link, if absent; its folder must exist). Re-entrant within a thread.
     *
     * @param timeout how long to wait for other threads and processes
     * @throws StoreUnavailableException if the lock is not granted within {@code timeout}, naming the file
     */
    public <T> T withLock(Path lockFile, Duration timeout, LockedAction<T> action) throws IOException {
        Path key = canonical(lockFile);
        Holder holder = holders.computeIfAbsent(key, path -> new Holder());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!holder.inProcess.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(lockFile, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the lock on " + lockFile, e);
        }
        boolean outermost = holder.inProcess.getHoldCount() == 1;
        try {
            if (outermost) {
                acquireFileLock(holder, key, deadline, lockFile, timeout);
            }
            return action.run();
        } finally {
            if (outermost && holder.fileLock != null) {
                try {
                    holder.fileLock.release();
                } finally {
                    holder.fileLock = null;
                    holder.inProcess.unlock();
                }
            } else {
                holder.inProcess.unlock();
            }
        }
    }

    private static void acquireFileLock(Holder holder, Path key, long deadline, Path shownAs, Duration timeout) throws IOException {
        if (holder.channel == null || !holder.channel.isOpen()) {
            holder.channel = openLockFile(key);
        }
        long pauseNanos = TimeUnit.MICROSECONDS.toNanos(100);
        while (true) {
            FileLock lock;
            try {
                lock = holder.channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another FileLocks instance of this JVM holds it: wait like for another process
            }
            if (lock != null) {
                holder.fileLock = lock;
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw timedOut(shownAs, timeout);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pauseNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for the lock on " + shownAs, e);
            }
            pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(Modes.FILE)} : new FileAttribute<?>[0];
        try {
            return FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
        } catch (IOException e) {
            // Only a lock file that is a symbolic link is refused for being one; any other failure (a
            // read-only file system, a folder without write permission) says its own cause.
            throw new IOException("cannot open the lock file " + lockFile + ": " + (Files.isSymbolicLink(lockFile)
                    ? "it is a symbolic link, which Waterfall refuses (remove it; the next write recreates it)"
                    : dev.waterfall.config.spi.Echo.cause(e)), e);
        }
    }

    private static StoreUnavailableException timedOut(Path lockFile, Duration timeout) {
        return new StoreUnavailableException("waited " + timeout.toSeconds() + " s for the lock on " + lockFile
                + "; another process holds it (a stopped or hung writer?). Nothing was changed; try again");
    }

    private static Path canonical(Path lockFile) throws IOException {
        Path absolute = lockFile.toAbsolutePath();
        Path parent = absolute.getParent();
        return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
    }

    /** Closes every lock file this object opened. Call only when no store uses it any more. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Holder holder : holders.values()) {
            holder.inProcess.lock();
            try {
                if (holder.channel != null) {
                    holder.channel.close();
                    holder.channel = null;
                }
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            } finally {
                holder.inProcess.unlock();
            }
        }
        holders.clear();
        if (first != null) {
            throw first;
        }
    }
}
