package dev.waterfall.file;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;

import java.util.List;

/**
 * A file format for the durable-file kernel: how bytes become leaf values and how edits become
 * bytes. A codec is stateless and thread-safe; the kernel does the locking, merging, durability,
 * backups and history, and checks that every file a codec writes reads back as intended.
 */
public interface DocumentCodec {

    /** The format's name for messages: {@code JSON}, {@code TOML}. */
    String formatName();

    /** The usual file extension, lower-case, without the dot: {@code json}. */
    String extension();

    /**
     * Parses a file.
     *
     * @param content the file's bytes
     * @param source  the file, as messages should name it
     * @throws StoreBrokenException naming source, line and column, and saying what to do, when
     *         the bytes do not parse (bad encoding included) or hold a key that breaks the key rule
     */
    Document parse(byte[] content, String source);

    /**
     * The form in which this format stores {@code value}: what a later read of it returns. The JSON
     * codec turns date-times into their ISO strings, for example.
     *
     * @throws InvalidValueException naming the key's value if the format cannot hold it at all
     */
    default Value normalize(Value value) {
        return value;
    }

    /**
     * Applies edits to a document and returns the new file's bytes. The result must parse to the
     * document's values with the edits applied; everything else should stay as it was (order,
     * formatting, comments, line endings), as far as the format allows.
     *
     * @param current the current document, or {@code null} when the file does not exist yet
     * @param edits   the changes in order; each key appears at most once
     */
    byte[] edit(Document current, List<Edit> edits);
}
