package dev.waterfall.jdbc;

import java.util.Arrays;

/**
 * One text column of {@link RawRows} whose value mostly repeats from row to row (the authors of a
 * bulk of rows): its {@code String} is made once and handed out again while the column's bytes
 * stay the same. Not thread-safe; one per column per reader.
 */
public final class RepeatedText {

    private byte[] bytes;
    private String text;

    /** The text kept for exactly these bytes, or {@code null} if they are not the last ones kept. */
    public String get(byte[] row, int start, int end) {
        return bytes != null && Arrays.equals(bytes, 0, bytes.length, row, start, end) ? text : null;
    }

    /** Keeps {@code text} as what these bytes stand for, and returns it. */
    public String keep(byte[] row, int start, int end, String text) {
        this.bytes = Arrays.copyOfRange(row, start, end);
        this.text = text;
        return text;
    }
}
