package dev.waterfall.export.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records one at a time: comma-separated cells, optionally quoted with {@code "},
 * quotes doubled inside quotes, records ended by LF or CRLF (a quoted cell may hold either).
 * Strict: an unterminated quote, or anything but a comma or line end after a closing quote, is an
 * error naming the line.
 *
 * <p>Not thread-safe.
 */
public final class CsvParser {

    /** A malformed record. */
    public static final class CsvSyntaxException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        CsvSyntaxException(long line, String message) {
            super(message);
            this.line = line;
        }

        /** The 1-based line where the problem is. */
        public long line() {
            return line;
        }
    }

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long line = 1;
    private long recordLine;
    private final StringBuilder cell = new StringBuilder(256);

    public CsvParser(Reader in) {
        this.in = in;
    }

    /** The 1-based line on which the record last returned starts. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's cells, or {@code null} at the end of the input. */
    public List<String> next() throws IOException {
        int c = read();
        if (c < 0) {
            return null;
        }
        recordLine = line;
        List<String> cells = new ArrayList<>(6);
        while (true) {
            cell.setLength(0);
            if (c == '"') {
                long quoteLine = line;
                while (true) {
                    c = read();
                    if (c < 0) {
                        throw new CsvSyntaxException(quoteLine, "a quoted cell that starts on line " + quoteLine + " is never closed");
                    }
                    if (c == '"') {
                        c = read();
                        if (c == '"') {
                            cell.append('"');
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    cell.append((char) c);
                }
                if (c == '\r') {
                    c = read();
                    if (c != '\n') {
                        throw new CsvSyntaxException(line, "a carriage return not followed by a line feed after a quoted cell");
                    }
                }
                if (c >= 0 && c != ',' && c != '\n') {
                    throw new CsvSyntaxException(line, "'" + (char) c + "' after the closing quote of a cell; "
                            + "a quote inside a quoted cell is written twice (\"\")");
                }
            } else {
                while (c >= 0 && c != ',' && c != '\n') {
                    if (c == '\r') {
                        int after = read();
                        if (after == '\n' || after < 0) {
                            c = after;
                            break;
                        }
                        throw new CsvSyntaxException(line, "a carriage return inside an unquoted cell; quote the cell");
                    }
                    if (c == '"') {
                        throw new CsvSyntaxException(line, "a quote inside an unquoted cell; quote the whole cell and write the quote twice");
                    }
                    cell.append((char) c);
                    c = read();
                }
            }
            cells.add(cell.toString());
            if (c == ',') {
                c = read();
                continue;
            }
            if (c == '\n') {
                line++;
            }
            return cells;
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }
}
