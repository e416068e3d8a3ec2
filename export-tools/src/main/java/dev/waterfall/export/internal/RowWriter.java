package dev.waterfall.export.internal;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.ValueType;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.export.DumpFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Writes the rows of a dump in one of the three formats: ASCII only, LF line ends, the same six
 * columns in the same order, byte for byte the same for the same entries. Rows are encoded straight
 * into a byte buffer, since a million-row export spends most of its time here.
 *
 * <p>Not thread-safe.
 */
public final class RowWriter {

    /** The column names, in order: the CSV header and the JSON member names. */
    public static final String[] COLUMNS = {"key", "value", "type", "revision", "updated_at", "updated_by"};

    private static final String CSV_HEADER = String.join(",", COLUMNS) + "\n";

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Each type's label as bytes, by ordinal. */
    private final byte[][] typeLabels = typeLabels();

    private final DumpFormat format;
    private final OutputStream out;
    private byte[] buffer = new byte[1 << 16];
    private int position;
    private long rows;
    private Actor lastActor;
    private String lastActorJson;
    private long lastSecond = Long.MIN_VALUE;
    private String lastSecondText;
    private String lastSurface;
    private String lastUser;
    private String lastHost;
    private long lastPid;
    private byte[] lastActorCell;

    /**
     * @param out where the bytes go, in chunks of up to 64 KiB; {@link #end()} hands over the last ones
     */
    public RowWriter(DumpFormat format, OutputStream out) {
        this.format = format;
        this.out = out;
    }

    /** Writes what comes before the first row: the CSV header, the JSON array's opening. */
    public void begin() throws IOException {
        switch (format) {
            case CSV -> put(CSV_HEADER);
            case JSON -> put("[\n");
            case NDJSON -> { }
        }
    }

    /** Writes one row. */
    public void row(Entry entry) throws IOException {
        if (format == DumpFormat.CSV) {
            csvRow(entry);
        } else {
            if (format == DumpFormat.JSON && rows > 0) {
                put(",\n");
            }
            jsonRow(entry);
            if (format == DumpFormat.NDJSON) {
                put('\n');
            }
        }
        rows++;
        if (position > buffer.length - 4096) {
            drain();
        }
    }

    /**
     * Writes one row given as bytes ({@link RawEntryBytes}): the same bytes as {@link #row(Entry)}
     * writes for the entry it stands for. The key and the time are ASCII and the JSON text is
     * canonical, so it only needs its characters beyond ASCII escaped (as
     * {@link JsonValues#appendString} escapes them) and, in CSV, its quotes doubled; nothing is
     * decoded into objects.
     */
    public void row(RawEntryBytes entry) throws IOException {
        byte[] text = entry.bytes();
        int keyStart = entry.keyStart();
        int keyEnd = entry.keyEnd();
        int valueStart = entry.valueStart();
        int valueEnd = entry.valueEnd();
        int atStart = entry.updatedAtStart();
        int atEnd = entry.updatedAtEnd();
        byte[] type = typeLabels[entry.type().ordinal()];
        byte[] actor = actorCell(entry);
        // The most any part can grow: a byte of JSON to a six-byte escape, plus the fixed text.
        ensure(keyEnd - keyStart + 6 * (valueEnd - valueStart) + atEnd - atStart + type.length + actor.length + 128);
        if (format == DumpFormat.CSV) {
            if (Csv.startsFormula((char) text[keyStart])) { // a key needs no quotes, but may start with '-'
                buffer[position++] = (byte) Csv.FORMULA_GUARD;
            }
            copy(text, keyStart, keyEnd);
            buffer[position++] = ',';
            csvJsonCell(text, valueStart, valueEnd);
            buffer[position++] = ',';
            copy(type, 0, type.length);
            buffer[position++] = ',';
            putLong(entry.revision());
            buffer[position++] = ',';
            copy(text, atStart, atEnd);
            buffer[position++] = ',';
            copy(actor, 0, actor.length);
            buffer[position++] = '\n';
        } else {
            if (format == DumpFormat.JSON && rows > 0) {
                put(",\n");
            }
            put("{\"key\":\"");
            copy(text, keyStart, keyEnd); // letters, digits, '_', '-' and '.': nothing to escape
            put("\",\"value\":");
            putAsciiJson(text, valueStart, valueEnd, false);
            put(",\"type\":\"");
            copy(type, 0, type.length);
            put("\",\"revision\":");
            putLong(entry.revision());
            put(",\"updated_at\":\"");
            copy(text, atStart, atEnd);
            put("\",\"updated_by\":");
            copy(actor, 0, actor.length);
            put('}');
            if (format == DumpFormat.NDJSON) {
                put('\n');
            }
        }
        rows++;
        if (position > buffer.length - 4096) {
            drain();
        }
    }

    private void copy(byte[] text, int start, int end) {
        System.arraycopy(text, start, buffer, position, end - start);
        position += end - start;
    }

    /** A CSV cell of canonical JSON text: quoted if it holds a comma or quote (it holds no line break), guarded, escaped to ASCII. */
    private void csvJsonCell(byte[] text, int start, int end) {
        boolean guard = Csv.startsFormula((char) text[start]);
        boolean quote = false;
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            byte b = text[i];
            if (b == '"' || b == ',') {
                quote = true;
            } else if (b < 0) {
                ascii = false;
            }
        }
        if (quote) {
            buffer[position++] = '"';
        }
        if (guard) {
            buffer[position++] = (byte) Csv.FORMULA_GUARD;
        }
        if (ascii && !quote) {
            copy(text, start, end);
        } else {
            putAsciiJson(text, start, end, quote);
        }
        if (quote) {
            buffer[position++] = '"';
        }
    }

    /**
     * Canonical JSON text in UTF-8 with each character beyond ASCII as {@code \\uXXXX} (two for a
     * character beyond the BMP, as Java's UTF-16 holds it), and quotes doubled if
     * {@code doubleQuotes}. The bytes are well-formed UTF-8 ({@link RawEntryBytes}); room is ensured.
     */
    private void putAsciiJson(byte[] text, int start, int end, boolean doubleQuotes) {
        byte[] out = buffer;
        int at = position;
        for (int i = start; i < end; i++) {
            int b = text[i];
            if (b >= 0) {
                out[at++] = (byte) b;
                if (b == '"' && doubleQuotes) {
                    out[at++] = '"';
                }
                continue;
            }
            int code;
            if ((b & 0xe0) == 0xc0) {
                code = (b & 0x1f) << 6 | text[++i] & 0x3f;
            } else if ((b & 0xf0) == 0xe0) {
                code = (b & 0x0f) << 12 | (text[++i] & 0x3f) << 6 | text[++i] & 0x3f;
            } else {
                code = (b & 0x07) << 18 | (text[++i] & 0x3f) << 12 | (text[++i] & 0x3f) << 6 | text[++i] & 0x3f;
                at = unicodeEscape(out, at, Character.highSurrogate(code));
                code = Character.lowSurrogate(code);
            }
            at = unicodeEscape(out, at, (char) code);
        }
        position = at;
    }

    private static int unicodeEscape(byte[] out, int at, char c) {
        out[at++] = '\\';
        out[at++] = 'u';
        out[at++] = HEX[c >>> 12];
        out[at++] = HEX[c >>> 8 & 0xf];
        out[at++] = HEX[c >>> 4 & 0xf];
        out[at++] = HEX[c & 0xf];
        return at;
    }

    private void putLong(long value) {
        if (value < 0) {
            put(Long.toString(value));
            return;
        }
        ensure(20);
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = position + digits - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position += digits;
    }

    /**
     * The {@code updated_by} cell of a raw row, encoded for this format; rows mostly repeat a few
     * authors, whose texts a store hands out as the same strings while they repeat, so the last
     * one is kept.
     */
    private byte[] actorCell(RawEntryBytes entry) {
        if (lastActorCell == null || entry.pid() != lastPid || !same(entry.surface(), lastSurface) || !same(entry.user(), lastUser)
                || !same(entry.host(), lastHost)) {
            StringBuilder json = new StringBuilder(96);
            actor(new Actor(entry.surface(), entry.user(), entry.host(), entry.pid()), json);
            RowWriter cell = new RowWriter(format, OutputStream.nullOutputStream());
            if (format == DumpFormat.CSV) {
                cell.csvCell(json.toString());
            } else {
                cell.put(json.toString());
            }
            lastActorCell = java.util.Arrays.copyOf(cell.buffer, cell.position);
            lastSurface = entry.surface();
            lastUser = entry.user();
            lastHost = entry.host();
            lastPid = entry.pid();
        }
        return lastActorCell;
    }

    private static byte[][] typeLabels() {
        ValueType[] types = ValueType.values();
        byte[][] labels = new byte[types.length][];
        for (ValueType type : types) {
            labels[type.ordinal()] = type.label().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return labels;
    }

    private static boolean same(String a, String b) {
        return a == b || a.equals(b);
    }

    /** Writes what comes after the last row, and hands every byte to the output stream. */
    public void end() throws IOException {
        if (format == DumpFormat.JSON) {
            put(rows > 0 ? "\n]\n" : "]\n");
        }
        drain();
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    private void csvRow(Entry entry) {
        csvCell(entry.key().path());
        put(',');
        csvCell(JsonValues.write(entry.value(), true));
        put(',');
        put(entry.value().type().label());
        put(',');
        put(Long.toString(entry.revision()));
        put(',');
        put(updatedAt(entry.updatedAt()));
        put(',');
        csvCell(actorJson(entry.updatedBy()));
        put('\n');
    }

    /**
     * Writes one CSV cell: with a leading {@code '} if it would start a spreadsheet formula, quoted
     * if it holds a comma, quote or line break.
     */
    private void csvCell(String text) {
        boolean guard = !text.isEmpty() && Csv.startsFormula(text.charAt(0));
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        if (!quote) {
            if (guard) {
                put(Csv.FORMULA_GUARD);
            }
            put(text);
            return;
        }
        put('"');
        if (guard) {
            put(Csv.FORMULA_GUARD);
        }
        ensure(text.length() * 2 + 1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                buffer[position++] = '"';
            }
            buffer[position++] = ascii(c);
        }
        put('"');
    }

    private void jsonRow(Entry entry) {
        StringBuilder line = new StringBuilder(160);
        line.append("{\"key\":");
        JsonValues.appendString(entry.key().path(), true, line);
        line.append(",\"value\":");
        JsonValues.write(entry.value(), true, line);
        line.append(",\"type\":\"").append(entry.value().type().label())
                .append("\",\"revision\":").append(entry.revision())
                .append(",\"updated_at\":\"").append(updatedAt(entry.updatedAt())).append("\",\"updated_by\":")
                .append(actorJson(entry.updatedBy())).append('}');
        put(line.toString());
    }

    /**
     * The {@code updated_at} column: ISO-8601 UTC to the microsecond, the finest time every store
     * keeps (PostgreSQL keeps microseconds; Java's clock may give nanoseconds), so that a store and
     * its copy in any other store dump the same bytes. The text is exactly {@link Instant#toString()}
     * of the instant cut to the microsecond.
     */
    public static String updatedAt(Entry entry) {
        return entry.updatedAt().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** {@link #updatedAt(Entry)}, fast: the date and time of day are kept for the second they show. */
    private String updatedAt(Instant at) {
        long second = at.getEpochSecond();
        int micros = at.getNano() / 1000;
        if (second != lastSecond) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            if (time.getYear() < 0 || time.getYear() > 9999) {
                return at.truncatedTo(ChronoUnit.MICROS).toString(); // Instant.toString's own year forms
            }
            StringBuilder text = new StringBuilder(20);
            digits(text, time.getYear(), 4).append('-');
            digits(text, time.getMonthValue(), 2).append('-');
            digits(text, time.getDayOfMonth(), 2).append('T');
            digits(text, time.getHour(), 2).append(':');
            digits(text, time.getMinute(), 2).append(':');
            digits(text, time.getSecond(), 2);
            lastSecond = second;
            lastSecondText = text.toString();
        }
        if (micros == 0) {
            return lastSecondText + "Z";
        }
        StringBuilder text = new StringBuilder(28).append(lastSecondText).append('.');
        if (micros % 1000 == 0) {
            digits(text, micros / 1000, 3);
        } else {
            digits(text, micros, 6);
        }
        return text.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(text);
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

    private void put(char c) {
        ensure(1);
        buffer[position++] = ascii(c);
    }

    private void put(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[position++] = ascii(text.charAt(i));
        }
    }

    private static byte ascii(char c) {
        if (c > 0x7f) {
            // Every part of a row is escaped to ASCII; reaching this is a bug, never a silent '?'.
            throw new IllegalStateException("non-ASCII character U+" + Integer.toHexString(c) + " in a dump row");
        }
        return (byte) c;
    }

    private void ensure(int length) {
        if (position + length > buffer.length) {
            byte[] larger = new byte[Math.max(buffer.length * 2, position + length)];
            System.arraycopy(buffer, 0, larger, 0, position);
            buffer = larger;
        }
    }

    private void drain() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
    }
}
