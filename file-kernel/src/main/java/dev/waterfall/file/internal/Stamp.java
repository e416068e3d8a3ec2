package dev.waterfall.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What identifies one version of a file without reading it: identity (device and inode where the
 * platform has them), size and modification time. Every write replaces the file by a rename, so a
 * new version always has a new identity, and a reader can skip reparsing an unchanged file.
 *
 * @param fileKey  the platform's file identity, or {@code null}
 * @param size     size in bytes
 * @param modified modification time
 */
public record Stamp(Object fileKey, long size, FileTime modified) {

    /** The stamp meaning "no such file". */
    public static final Stamp ABSENT = new Stamp(null, -1, FileTime.fromMillis(0));

    /** The current stamp of {@code file}, or {@link #ABSENT}. */
    public static Stamp of(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return ABSENT;
        }
    }

    /** Whether the file exists. */
    public boolean exists() {
        return size >= 0;
    }

    /** Whether both stamps name the same version of a file. */
    public boolean sameAs(Stamp other) {
        return other != null && size == other.size && modified.equals(other.modified) && Objects.equals(fileKey, other.fileKey);
    }
}
