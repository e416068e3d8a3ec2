package dev.waterfall.toml;

import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.file.Document;
import org.tomlj.TomlParseResult;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A parsed TOML file: its leaves, the line of each key, where each value is written, and the text
 * with its line endings and byte order mark, which every edit starts from so that untouched bytes
 * stay as they were.
 *
 * <p>It also keeps tomlj's parse tree of the text, which is mutable: the first edit takes it
 * ({@link #takeTree}) and later edits parse the text again, so a document can be edited any number
 * of times from any thread. A document made by {@link TomlSplice} has no tree; an edit that needs
 * one parses the text.
 */
final class TomlDocument implements Document {

    private final String text;
    private final boolean byteOrderMark;
    private final String newline;
    private final Map<Key, Value> values;
    private final Map<Key, Integer> lines;
    private final Map<Key, Integer> valueStarts;
    private final AtomicReference<TomlParseResult> spareTree;

    /**
     * @param valueStarts the char offset in {@code text} where each leaf's value is written
     * @param tree        tomlj's tree of {@code text}, or {@code null} to parse it when an edit needs it
     */
    TomlDocument(String text, boolean byteOrderMark, Map<Key, Value> values, Map<Key, Integer> lines,
                 Map<Key, Integer> valueStarts, TomlParseResult tree) {
        this.text = text;
        this.byteOrderMark = byteOrderMark;
        this.newline = newlineOf(text);
        this.values = Collections.unmodifiableMap(values);
        this.lines = lines;
        this.valueStarts = valueStarts;
        this.spareTree = new AtomicReference<>(tree);
    }

    @Override
    public Map<Key, Value> values() {
        return values;
    }

    @Override
    public int line(Key key) {
        return lines.getOrDefault(key, 0);
    }

    /** The line of each leaf's key. */
    Map<Key, Integer> lines() {
        return lines;
    }

    /** The char offset in {@link #text()} where each leaf's value is written. */
    Map<Key, Integer> valueStarts() {
        return valueStarts;
    }

    /** The char offset in {@link #text()} where {@code key}'s value is written, or -1. */
    int valueStart(Key key) {
        return valueStarts.getOrDefault(key, -1);
    }

    /** The file's text, without its byte order mark. */
    String text() {
        return text;
    }

    /** Whether the file starts with a UTF-8 byte order mark, which a rewrite keeps. */
    boolean byteOrderMark() {
        return byteOrderMark;
    }

    /** The file's line ending: that of its first line, {@code "\n"} for a file of one line. */
    String newline() {
        return newline;
    }

    /** The parse tree of {@link #text()} for one edit: the kept one the first time, a fresh one after. */
    TomlParseResult takeTree(Supplier<TomlParseResult> reparse) {
        TomlParseResult tree = spareTree.getAndSet(null);
        return tree != null ? tree : reparse.get();
    }

    static String newlineOf(String text) {
        int lf = text.indexOf('\n');
        return lf > 0 && text.charAt(lf - 1) == '\r' ? "\r\n" : "\n";
    }
}
