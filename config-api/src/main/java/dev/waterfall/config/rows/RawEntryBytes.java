package dev.waterfall.config.rows;

import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One entry of a store as bytes, for tools that copy millions of entries as text (exports): a view
 * that a {@link RawEntryCursor} fills again for each entry, so that reading an entry makes no
 * objects. Its three texts share one byte array, each in its own range:
 *
 * <ul>
 *   <li>the key: a valid {@link dev.waterfall.config.Key#path()}, ASCII;</li>
 *   <li>the value: exactly the bytes of {@link JsonValues#write JsonValues.write(value, false)} in
 *       UTF-8, except that a character beyond ASCII may instead be the {@code \\uXXXX} escape that
 *       {@code JsonValues.write(value, true)} writes for it (a store does that for a value it had to
 *       decode, which may hold a lone surrogate that UTF-8 cannot carry). A tool that writes the JSON
 *       as ASCII, escaping every character beyond it, writes the same bytes either way;</li>
 *   <li>when it changed: {@link CanonicalText#instant(long, int)}, ASCII.</li>
 * </ul>
 *
 * <p>The rest are the value's type, the revision of its last change and the
 * {@link dev.waterfall.config.Actor}'s fields. A store fills a view with {@link #clear()}, then
 * {@link #key}, {@link #value}, {@link #updatedAt} (in any order, each once) and the setters.
 *
 * <p>Valid until the cursor's next read; not thread-safe.
 */
public final class RawEntryBytes {

    private byte[] bytes = new byte[512];
    private int length;
    private int keyStart;
    private int keyEnd;
    private int valueStart;
    private int valueEnd;
    private int updatedAtStart;
    private int updatedAtEnd;
    private ValueType type;
    private long revision;
    private String surface;
    private String user;
    private String host;
    private long pid;

    /** The array that holds the three texts; see the ranges. */
    public byte[] bytes() {
        return bytes;
    }

    /** Where the key starts in {@link #bytes()}. */
    public int keyStart() {
        return keyStart;
    }

    /** Where the key ends (exclusive). */
    public int keyEnd() {
        return keyEnd;
    }

    /** Where the value's JSON starts in {@link #bytes()}. */
    public int valueStart() {
        return valueStart;
    }

    /** Where the value's JSON ends (exclusive). */
    public int valueEnd() {
        return valueEnd;
    }

    /** Where the time of the change starts in {@link #bytes()}. */
    public int updatedAtStart() {
        return updatedAtStart;
    }

    /** Where the time of the change ends (exclusive). */
    public int updatedAtEnd() {
        return updatedAtEnd;
    }

    /** The value's type. */
    public ValueType type() {
        return type;
    }

    /** The revision of the entry's last change. */
    public long revision() {
        return revision;
    }

    /** The surface of the last change's author, e.g. {@code cli}. */
    public String surface() {
        return surface;
    }

    /** The user of the last change's author. */
    public String user() {
        return user;
    }

    /** The host of the last change's author. */
    public String host() {
        return host;
    }

    /** The process id of the last change's author. */
    public long pid() {
        return pid;
    }

    /** The key as text. */
    public String key() {
        return text(keyStart, keyEnd);
    }

    /** The value's JSON as text (see the class comment for its two spellings of a character beyond ASCII). */
    public String valueJson() {
        return text(valueStart, valueEnd);
    }

    /** When it changed, as text. */
    public String updatedAt() {
        return text(updatedAtStart, updatedAtEnd);
    }

    private String text(int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** Empties the view for the next entry. */
    public void clear() {
        length = 0;
        keyStart = keyEnd = valueStart = valueEnd = updatedAtStart = updatedAtEnd = 0;
        type = null;
    }

    /** Sets the key to {@code source[start, end)}. */
    public void key(byte[] source, int start, int end) {
        keyStart = append(source, start, end);
        keyEnd = length;
    }

    /** Sets the value's JSON to {@code source[start, end)}. */
    public void value(byte[] source, int start, int end) {
        valueStart = append(source, start, end);
        valueEnd = length;
    }

    /** Sets the value's JSON to {@code json}, as UTF-8 (a lone surrogate would not survive: give such text escaped). */
    public void value(String json) {
        byte[] encoded = json.getBytes(StandardCharsets.UTF_8);
        value(encoded, 0, encoded.length);
    }

    /** Sets the time of the change to {@code source[start, end)}. */
    public void updatedAt(byte[] source, int start, int end) {
        updatedAtStart = append(source, start, end);
        updatedAtEnd = length;
    }

    /** Sets the value's type. */
    public void type(ValueType type) {
        this.type = type;
    }

    /** Sets the revision of the entry's last change. */
    public void revision(long revision) {
        this.revision = revision;
    }

    /** Sets the author's fields. */
    public void actor(String surface, String user, String host, long pid) {
        this.surface = surface;
        this.user = user;
        this.host = host;
        this.pid = pid;
    }

    private int append(byte[] source, int start, int end) {
        int size = end - start;
        if (length + size > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + size));
        }
        System.arraycopy(source, start, bytes, length, size);
        int at = length;
        length += size;
        return at;
    }

    @Override
    public String toString() {
        return key() + " = " + valueJson() + " (" + type + ", revision " + revision + ", " + updatedAt() + ", " + surface + "/" + user
                + "@" + host + "#" + pid + ")";
    }
}
