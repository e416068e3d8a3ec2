package dev.waterfall.config;

import java.util.Optional;

/**
 * A store whose content cannot be read: a file that does not parse, a database migrated by a newer
 * Waterfall. Nothing is reset and no write replaces the broken content; the message says how to
 * repair it ({@code waterfall backups restore} for files).
 */
public class StoreBrokenException extends WaterfallException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * @param source the file or store, as it should be printed
     * @param line   1-based line of the fault, or 0 when unknown
     * @param column 1-based column of the fault, or 0 when unknown
     * @param problem what is wrong, and what to do
     */
    public StoreBrokenException(String source, int line, int column, String problem) {
        this(source, line, column, problem, null);
    }

    /**
     * @param source  the file or store, as it should be printed
     * @param line    1-based line of the fault, or 0 when unknown
     * @param column  1-based column of the fault, or 0 when unknown
     * @param problem what is wrong, and what to do
     * @param cause   the parser's or driver's own error
     */
    public StoreBrokenException(String source, int line, int column, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file or store at fault. */
    public String source() {
        return source;
    }

    /** The 1-based line of the fault, if known. */
    public Optional<Integer> line() {
        return line > 0 ? Optional.of(line) : Optional.empty();
    }

    /** The 1-based column of the fault, if known. */
    public Optional<Integer> column() {
        return column > 0 ? Optional.of(column) : Optional.empty();
    }
}
