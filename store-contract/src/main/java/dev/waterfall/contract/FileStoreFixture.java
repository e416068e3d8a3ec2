package dev.waterfall.contract;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StoreFixture} for stores kept in one file on the durable-file kernel (JSON, TOML): the
 * durability suite needs to know the file and how a broken one looks in its format.
 */
public interface FileStoreFixture extends StoreFixture {

    /** The URI scheme, e.g. {@code json}. */
    String scheme();

    /** The store's file inside {@code dir}, e.g. {@code dir/config.json}. */
    Path storeFile(Path dir);

    @Override
    default boolean isPlaintext() {
        return true;
    }

    @Override
    default String newStoreUri(Path dir) {
        return scheme() + ":" + storeFile(dir);
    }

    /**
     * A broken file of this format, and where the error must point.
     *
     * @param name    what is wrong, for the test's name
     * @param content the file's bytes
     * @param line    the 1-based line the error must name
     * @param column  the 1-based column the error must name, or 0 to not check it
     */
    record BrokenSample(String name, byte[] content, int line, int column) {
    }

    /** Broken files of this format: truncated, a syntax error, bad UTF-8, a byte order mark, empty. */
    List<BrokenSample> brokenSamples();

    /**
     * A command for a process in another language that writes {@code count} keys
     * {@code prefix.k0 ..} into {@code file} following the lock protocol of docs/protocol.md, if the format has
     * such a writer in the test machine's toolbox.
     */
    default Optional<List<String>> foreignWriter(Path file, String prefix, int count) {
        return Optional.empty();
    }

    /**
     * A command for a process in another language that increments the whole number at the
     * top-level {@code key} of {@code file} {@code count} times, each a read and a write under the
     * lock protocol of docs/protocol.md, if the format has such a writer in the test machine's toolbox. Without
     * one, the suite uses a Java process that follows the protocol by hand ({@link ExternalWriter}).
     */
    default Optional<List<String>> foreignIncrementer(Path file, String key, int count) {
        return Optional.empty();
    }
}
