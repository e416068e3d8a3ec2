package dev.waterfall.file.internal;

import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** {@link FileOps} on the real file system. */
public final class RealFileOps implements FileOps {

    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @Override
    public boolean isPosix() {
        return posix;
    }

    @Override
    public byte[] readAllBytes(Path file) throws IOException {
        return dev.waterfall.config.engine.BoundedFiles.readAllBytes(file); // a regular file of a bounded size only
    }

    @Override
    public void createDirectory(Path directory, Set<PosixFilePermission> permissions) throws IOException {
        if (posix) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(permissions));
            Files.setPosixFilePermissions(directory, permissions);
        } else {
            Files.createDirectory(directory);
        }
    }

    @Override
    public FileChannel createExclusive(Path file, Set<PosixFilePermission> permissions) throws IOException {
        FileAttribute<?>[] attributes = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
        if (posix) {
            try {
                // The umask may have removed bits we asked for; the mode must be exactly what was asked.
                Files.setPosixFilePermissions(file, permissions);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
        return channel;
    }

    @Override
    public FileChannel openForOverwrite(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        channel.force(true);
    }

    @Override
    public void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(file, permissions);
        }
    }

    @Override
    public Set<PosixFilePermission> permissions(Path file) throws IOException {
        return posix ? Files.getPosixFilePermissions(file) : null;
    }

    @Override
    public void linkOrCopy(Path link, Path existing) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            Files.copy(existing, link, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    @Override
    public void moveAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        if (!posix) {
            return; // Windows refuses to open a directory for fsync; NTFS journals the rename instead.
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void append(Path file, byte[] bytes) throws IOException {
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(Modes.FILE)} : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes)) {
            writeFully(channel, ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public FileChannel openForAppend(Path file, Set<PosixFilePermission> permissions) throws IOException {
        if (posix) {
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!mode.contains(PosixFilePermission.OWNER_WRITE)) {
                    // made read-only by its owner: not appended to, as AtomicFile does not replace such a file
                    throw new java.nio.file.AccessDeniedException(file.toString(), null, "the file is read-only (mode "
                            + PosixFilePermissions.toString(mode) + "), so it is not written; chmod u+w " + file + " to allow writes");
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // created by the open below
            }
        }
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), attributes);
    }

    @Override
    public void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.truncate(size);
        }
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
