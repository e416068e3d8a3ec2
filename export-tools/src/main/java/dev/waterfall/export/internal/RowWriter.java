package dev.waterfall.export.internal;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.spi.JsonValues;
import dev.waterfall.export.DumpFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.time.temporal.ChronoUnit;

/**
 * Writes the rows of a dump in one of the three formats: ASCII only, LF line ends, the same six
 * columns in the same order, byte for byte the same for the same entries.
 *
 * <p>Not thread-safe.
 */
public final class RowWriter {

    /** The column names, in order: the CSV header and the JSON member names. */
    public static final String[] COLUMNS = {"key", "value", "type", "revision", "updated_at", "updated_by"};

    private static final String CSV_HEADER = String.join(",", COLUMNS) + "\n";

    private final DumpFormat format;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(256);
    private final StringBuilder cell = new StringBuilder(128);
    private byte[] bytes = new byte[1024];
    private long rows;
    private Actor lastActor;
    private String lastActorJson;

    public RowWriter(DumpFormat format, OutputStream out) {
        this.format = format;
        this.out = out;
    }

    /** Writes what comes before the first row: the CSV header, the JSON array's opening. */
    public void begin() throws IOException {
        switch (format) {
            case CSV -> emit(CSV_HEADER);
            case JSON -> emit("[\n");
            case NDJSON -> { }
        }
    }

    /** Writes one row. */
    public void row(Entry entry) throws IOException {
        line.setLength(0);
        if (format == DumpFormat.CSV) {
            csvRow(entry);
        } else {
            if (format == DumpFormat.JSON && rows > 0) {
                line.append(",\n");
            }
            jsonRow(entry);
            if (format == DumpFormat.NDJSON) {
                line.append('\n');
            }
        }
        rows++;
        emit(line);
    }

    /** Writes what comes after the last row. */
    public void end() throws IOException {
        if (format == DumpFormat.JSON) {
            emit(rows > 0 ? "\n]\n" : "]\n");
        }
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    private void csvRow(Entry entry) {
        csvCell(entry.key().path());
        line.append(',');
        cell.setLength(0);
        JsonValues.write(entry.value(), true, cell);
        csvCell(cell);
        line.append(',');
        csvCell(entry.value().type().label());
        line.append(',').append(entry.revision()).append(',');
        csvCell(updatedAt(entry));
        line.append(',');
        csvCell(actorJson(entry.updatedBy()));
        line.append('\n');
    }

    /**
     * Appends one CSV cell: with a leading {@code '} if it would start a spreadsheet formula, quoted
     * if it holds a comma, quote or line break.
     */
    private void csvCell(CharSequence text) {
        boolean guard = text.length() > 0 && Csv.startsFormula(text.charAt(0));
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            if (guard) {
                line.append(Csv.FORMULA_GUARD);
            }
            line.append(text);
            return;
        }
        line.append('"');
        if (guard) {
            line.append(Csv.FORMULA_GUARD);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    private void jsonRow(Entry entry) {
        line.append("{\"key\":");
        JsonValues.appendString(entry.key().path(), true, line);
        line.append(",\"value\":");
        JsonValues.write(entry.value(), true, line);
        line.append(",\"type\":\"").append(entry.value().type().label())
                .append("\",\"revision\":").append(entry.revision())
                .append(",\"updated_at\":\"").append(updatedAt(entry)).append("\",\"updated_by\":")
                .append(actorJson(entry.updatedBy())).append('}');
    }

    /**
     * The {@code updated_at} column: ISO-8601 UTC to the microsecond, the finest time every store
     * keeps (PostgreSQL keeps microseconds; Java's clock may give nanoseconds), so that a store and
     * its copy in any other store dump the same bytes.
     */
    public static String updatedAt(Entry entry) {
        return entry.updatedAt().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** The actor's JSON object; rows mostly repeat a few authors, so the last one is kept. */
    private String actorJson(Actor actor) {
        if (!actor.equals(lastActor)) {
            StringBuilder out = new StringBuilder(96);
            actor(actor, out);
            lastActor = actor;
            lastActorJson = out.toString();
        }
        return lastActorJson;
    }

    /** Appends an actor as the dump's {@code updated_by} JSON object. */
    public static void actor(Actor actor, StringBuilder out) {
        out.append("{\"surface\":");
        JsonValues.appendString(actor.surface(), true, out);
        out.append(",\"user\":");
        JsonValues.appendString(actor.user(), true, out);
        out.append(",\"host\":");
        JsonValues.appendString(actor.host(), true, out);
        out.append(",\"pid\":").append(actor.pid()).append('}');
    }

    private void emit(CharSequence text) throws IOException {
        int length = text.length();
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                // Every part of a row is escaped to ASCII; reaching this is a bug, never a silent '?'.
                throw new IllegalStateException("non-ASCII character U+" + Integer.toHexString(c) + " in a dump row");
            }
            bytes[i] = (byte) c;
        }
        out.write(bytes, 0, length);
    }
}
