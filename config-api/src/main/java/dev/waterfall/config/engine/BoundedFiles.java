package dev.waterfall.config.engine;

import dev.waterfall.config.spi.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How Waterfall reads a whole file that someone else may have put in its place: the store, the
 * defaults, the system file, a dump's meta file, the secrets file. A path can name anything: a
 * folder, a FIFO (whose read waits for a writer forever), {@code /dev/zero} (endless), or a file of
 * gigabytes, which would end the process with an {@link OutOfMemoryError} instead of a message. So
 * only a regular file is opened, and no more than {@link #MAX_BYTES} of it is read; anything else
 * fails with an {@link IOException} whose message says what the path is and what to do, which the
 * caller wraps as it wraps any other failure to read (a one-line error, exit 3 on the command line).
 *
 * <p>Stateless.
 */
public final class BoundedFiles {

    /**
     * The largest file read whole: 256 MiB. A configuration store of that size is already far
     * beyond what one is for (a million keys of a few hundred bytes), and reading it takes several
     * times its size in memory, which a default JVM heap still has.
     */
    public static final long MAX_BYTES = 256L << 20;

    private BoundedFiles() {
    }

    /**
     * The content of {@code file}, which must be a regular file (a symbolic link to one is followed)
     * of at most {@code maxBytes}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IOException                       saying what the path is, if it is not a regular file or is too large
     */
    public static byte[] readAllBytes(Path file, long maxBytes) throws IOException {
        checkRegular(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (content.length > maxBytes) {
                throw new IOException(tooLarge(file, content.length, maxBytes, true));
            }
            return content;
        }
    }

    /** {@link #readAllBytes(Path, long)} with the limit {@link #MAX_BYTES}. */
    public static byte[] readAllBytes(Path file) throws IOException {
        return readAllBytes(file, MAX_BYTES);
    }

    /**
     * Refuses what is not a regular file of at most {@code maxBytes}, before it is opened (opening a
     * FIFO for reading waits for a writer).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public static void checkRegular(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new IOException(Echo.of(file.toString()) + " is a folder, not a file; name the file itself");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(Echo.of(file.toString()) + " is not a regular file (a FIFO, device or socket), which Waterfall "
                    + "does not read; name a plain file");
        }
        if (attributes.size() > maxBytes) {
            throw new IOException(tooLarge(file, attributes.size(), maxBytes, false));
        }
    }

    private static String tooLarge(Path file, long size, long maxBytes, boolean grew) {
        return Echo.of(file.toString()) + (grew ? " grew while being read to more than " : " is " + size(size) + ", more than the ")
                + size(maxBytes) + " Waterfall reads of a file; is it the right file?";
    }

    /** A size as people read it: 3.0 GiB, 256 MiB, 12 KiB, 7 bytes. */
    static String size(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " bytes";
        }
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }
}
