package dev.waterfall.toml;

import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.file.Document;
import dev.waterfall.file.DocumentCodec;
import dev.waterfall.file.Edit;
import org.tomlj.TomlParseResult;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The TOML 1.0 file format, for files people write and comment by hand: every table (a
 * {@code [header]}, dotted keys or an inline table) is a set of keys, every other value a leaf.
 *
 * <p>Reading is strict TOML 1.0 in UTF-8 (a byte order mark is allowed) with line and column on
 * every error, by tomlj. Writing changes only what the edits change and keeps everything else byte
 * for byte: see {@link TomlEditor} for where new keys go and what a removal takes with it. TOML has
 * no null and its integers are 64-bit; those values are refused (see {@link TomlValues}).
 */
final class TomlCodec implements DocumentCodec {

    @Override
    public String formatName() {
        return "TOML";
    }

    @Override
    public String extension() {
        return "toml";
    }

    @Override
    public TomlDocument parse(byte[] content, String source) {
        return TomlReader.read(content, source);
    }

    @Override
    public Value normalize(Value value) {
        return TomlValues.normalize(value);
    }

    /**
     * {@inheritDoc}
     *
     * <p>New values for keys that hold a one-line scalar are written into the text by {@link TomlSplice},
     * which returns the new document with those values read back from the new text; other edits go
     * through {@link #edit}, and the kernel parses the result.
     */
    @Override
    public Edited editWithDocument(Document current, List<Edit> edits) {
        if (current instanceof TomlDocument document) {
            TomlDocument spliced = TomlSplice.apply(document, edits);
            if (spliced != null) {
                return new Edited(TomlSplice.bytes(spliced), spliced);
            }
        }
        return new Edited(edit(current, edits), null);
    }

    @Override
    public byte[] edit(Document current, List<Edit> edits) {
        TomlDocument document = (TomlDocument) current;
        String text = document == null ? "" : document.text();
        TomlParseResult tree = document == null
                ? TomlReader.parseTree(text, "a new file")
                : document.takeTree(() -> TomlReader.parseTree(text, "the file"));
        String written;
        try {
            TomlEditor editor = new TomlEditor(tree, text, document == null ? Map.of() : document.values());
            for (Edit edit : edits) {
                editor.apply(edit);
            }
            written = editor.render();
        } catch (RuntimeException e) {
            if (e instanceof WaterfallException) {
                throw e;
            }
            throw new WaterfallException("internal error: the TOML writer failed (" + e + "); nothing was written. "
                    + "Please report this with the file and the change", e);
        }
        if (document != null && document.byteOrderMark()) {
            written = "\uFEFF" + written;
        }
        return written.getBytes(StandardCharsets.UTF_8);
    }
}
