package dev.waterfall.toml;

import org.tomlj.TomlPosition;

import java.util.Arrays;

/**
 * Maps tomlj's positions (1-based line and column, the column counted in Unicode code points) to
 * places in the text they came from.
 */
final class TextPositions {

    private final String text;
    private int[] lineStarts;

    TextPositions(String text) {
        this.text = text;
    }

    /** The char offset of {@code position} in the text. */
    int offset(TomlPosition position) {
        int[] starts = lineStarts();
        int line = Math.min(Math.max(position.line(), 1), starts.length) - 1;
        int start = starts[line];
        int end = line + 1 < starts.length ? starts[line + 1] : text.length();
        int columns = Math.min(Math.max(position.column() - 1, 0), text.codePointCount(start, end));
        return text.offsetByCodePoints(start, columns);
    }

    /** Up to {@code length} chars of the text from {@code position}; empty for a missing position. */
    String textAt(TomlPosition position, int length) {
        if (position == null) {
            return "";
        }
        int offset = offset(position);
        return text.substring(offset, Math.min(offset + length, text.length()));
    }

    /** Whether only spaces and tabs stand between the start of its line and {@code position}. */
    boolean startsLine(TomlPosition position) {
        int offset = offset(position);
        for (int i = offset - 1; i >= 0 && text.charAt(i) != '\n'; i--) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int[] starts = new int[16];
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    if (count == starts.length) {
                        starts = Arrays.copyOf(starts, count * 2);
                    }
                    starts[count++] = i + 1;
                }
            }
            lineStarts = Arrays.copyOf(starts, count);
        }
        return lineStarts;
    }
}
