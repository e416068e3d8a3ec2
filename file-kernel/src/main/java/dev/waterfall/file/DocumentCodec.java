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

    /**
     * The result of an edit: the new file's bytes and, if the codec built it while rendering, the
     * new document (values and lines).
     *
     * @param bytes    the new file
     * @param document the document those bytes hold, or {@code null} to have the kernel parse them
     */
    record Edited(byte[] bytes, Document document) {
    }

    /**
     * Applies edits like {@link #edit}, optionally returning the new document too. The kernel
     * always checks that the new values are exactly the intended ones; when no document is
     * returned it gets them by parsing the bytes, which also proves the bytes parse. A codec that
     * renders from its own tree (rather than editing text) may return the tree's document to save
     * that parse; it must then be sure its rendering is faithful, and should prove it with a
     * round-trip test. The default returns no document.
     */
    default Edited editWithDocument(Document current, List<Edit> edits) {
        return new Edited(edit(current, edits), null);
    }
}
