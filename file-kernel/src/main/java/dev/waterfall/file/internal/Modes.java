package dev.waterfall.file.internal;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The permissions the kernel gives what it creates: owner-only. */
public final class Modes {

    /** 0600 for files: configuration may be private. */
    public static final Set<PosixFilePermission> FILE = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** 0700 for folders. */
    public static final Set<PosixFilePermission> DIRECTORY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private Modes() {
    }
}
