package dev.waterfall.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A writer that is not Waterfall: it follows the lock protocol of docs/protocol.md ("For programs in other
 * languages") by hand, with no code of ours, as a script in another language would: an exclusive
 * POSIX record lock on {@code <file>.lock} (Java's {@link FileChannel#lock()} is {@code fcntl} on
 * Linux), a re-read under it, the whole new content into {@code .<file>.<anything>.tmp}, fsync,
 * rename, fsync of the folder. It changes text only, so it serves every file format whose
 * top-level number reads {@code "key": N} or {@code key = N}.
 */
final class ExternalWriter {

    private ExternalWriter() {
    }

    /** Increments the number after the top-level {@code key} in {@code file} {@code times} times, each under the lock. */
    static void increment(Path file, String key, int times) throws IOException {
        Pattern number = Pattern.compile("(?m)^(\\s*\"?" + Pattern.quote(key) + "\"?\\s*[:=]\\s*)(\\d+)");
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        for (int i = 0; i < times; i++) {
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 FileLock held = lock.lock()) {
                String text = Files.readString(file, StandardCharsets.UTF_8); // re-read under the lock
                Matcher matcher = number.matcher(text);
                if (!matcher.find()) {
                    throw new IOException("no top-level " + key + " in " + file + ":\n" + text);
                }
                long next = Long.parseLong(matcher.group(2)) + 1;
                String updated = text.substring(0, matcher.start(2)) + next + text.substring(matcher.end(2));
                Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(updated.getBytes(StandardCharsets.UTF_8)));
                    out.force(true);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    folder.force(true);
                }
            }
        }
    }
}
