package dev.waterfall.postgres;

import dev.waterfall.config.rows.CanonicalText;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.jdbc.RawRow;
import dev.waterfall.jdbc.RawRows;
import dev.waterfall.jdbc.RepeatedText;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The raw rows of a namespace through {@code COPY (SELECT ...) TO STDOUT} in PostgreSQL's text
 * format, parsed here: the server sends each row as one line of tab-separated fields, and pgjdbc
 * hands it over as bytes, with none of the per-column decoding and objects of a result set (which
 * made most of the client's time in a million-row export). The query selects the entries table's
 * columns in key order in the store's snapshot transaction, so the rows, their order and their
 * text are those the table holds ({@link dev.waterfall.jdbc.SqlDialect#rawRows}); {@code updated_at}
 * comes as the text PostgreSQL writes for it in UTC, set for the transaction only, which costs
 * the server nothing (a microsecond count from {@code EXTRACT(EPOCH ...)} would be numeric
 * arithmetic on every row).
 *
 * <p>COPY takes no parameters, and a namespace is only ever bound, never written into SQL: it is
 * set as the transaction-local setting {@value #NAMESPACE_SETTING} with a bound {@code set_config}
 * and read back in the query with {@code current_setting}, which PostgreSQL evaluates once, so the
 * primary key's index still serves the scan.
 *
 * <p>The text format is exact and unambiguous: a tab, a line break or a backslash inside a value
 * is sent escaped ({@code \t}, {@code \n}, {@code \\}), {@code \N} alone is NULL, and each row
 * ends with one line break. A row that is not in that form is an error, never a guess.
 *
 * <p>Not thread-safe; one per cursor.
 */
final class CopyRawRows implements RawRows {

    /** The transaction-local setting that carries the namespace into the COPY query. */
    static final String NAMESPACE_SETTING = "waterfall.export_namespace";

    private static final int FIELDS = 9;

    private final CopyOut copy;
    private final String table;
    private final int[] starts = new int[FIELDS];
    private final int[] ends = new int[FIELDS];
    private byte[] unescaped = new byte[256];
    private final byte[] lastDate = new byte[16];
    private int lastDateLength = -1;
    private long lastEpochDay;
    // Rows mostly repeat a few authors: their texts are made once while they repeat.
    private final RepeatedText[] authors = {new RepeatedText(), new RepeatedText(), new RepeatedText()};
    private long rows;
    private byte[] current;
    // Where the last field read is (field): the row's bytes, or the unescaped copy of them.
    private byte[] source;
    private int sourceStart;
    private int sourceEnd;
    // updated_at in the ISO form CanonicalText reads, and its canonical text.
    private final byte[] iso = new byte[32];
    private final byte[] canonical = new byte[32];

    private CopyRawRows(CopyOut copy, String table) {
        this.copy = copy;
        this.table = table;
    }

    static CopyRawRows open(Connection connection, String table, String namespace) throws SQLException {
        try (PreparedStatement setting = connection.prepareStatement(
                "SELECT set_config('" + NAMESPACE_SETTING + "', ?, true), set_config('TimeZone', 'UTC', true)")) {
            setting.setString(1, namespace);
            setting.executeQuery().close();
        }
        String query = "COPY (SELECT key, value, type, revision, updated_at, updated_by_surface, updated_by_user, updated_by_host,"
                + " updated_by_pid FROM " + table + " WHERE namespace = current_setting('" + NAMESPACE_SETTING + "') ORDER BY key) TO STDOUT";
        return new CopyRawRows(connection.unwrap(PGConnection.class).getCopyAPI().copyOut(query), table);
    }

    @Override
    public boolean next(RawRow into) throws SQLException {
        byte[] row = copy.readFromCopy();
        if (row == null) {
            return false;
        }
        rows++;
        current = row;
        ends[0] = -1; // the key is not split off yet
        int field = 0;
        int start = 0;
        for (int i = 0; i < row.length; i++) {
            byte b = row[i];
            if (b == '\t' || b == '\n') {
                if (field == FIELDS || (b == '\n') != (i == row.length - 1)) {
                    throw malformed("has more fields than the " + FIELDS + " selected or a line break inside one");
                }
                starts[field] = start;
                ends[field++] = i;
                start = i + 1;
            }
        }
        if (field != FIELDS || row[row.length - 1] != '\n') {
            throw malformed("has " + field + " fields, not " + FIELDS);
        }
        RawEntryBytes entry = into.entry();
        entry.clear();
        field(row, 0);
        entry.key(source, sourceStart, sourceEnd);
        field(row, 1);
        entry.value(source, sourceStart, sourceEnd);
        into.typeLabel(isNull(row, 2) ? null : text(row, 2));
        entry.revision(number(row, 3));
        updatedAt(row, entry);
        entry.actor(repeated(0, row, 5), repeated(1, row, 6), repeated(2, row, 7), number(row, 8));
        return true;
    }

    /**
     * Points {@link #source} at a field's bytes: in the row itself, or in {@link #unescaped} with
     * PostgreSQL's backslash escapes undone if it has any.
     */
    private void field(byte[] row, int field) throws SQLException {
        if (isNull(row, field)) {
            throw malformed("has NULL in column " + (field + 1) + ", which is NOT NULL");
        }
        int start = starts[field];
        int end = ends[field];
        for (int i = start; i < end; i++) {
            if (row[i] == '\\') {
                source = unescaped;
                sourceStart = 0;
                sourceEnd = unescape(row, start, end);
                return;
            }
        }
        source = row;
        sourceStart = start;
        sourceEnd = end;
    }

    private boolean isNull(byte[] row, int field) {
        return ends[field] - starts[field] == 2 && row[starts[field]] == '\\' && row[starts[field] + 1] == 'N';
    }

    private String text(byte[] row, int field) throws SQLException {
        field(row, field);
        return new String(source, sourceStart, sourceEnd - sourceStart, StandardCharsets.UTF_8);
    }

    private String repeated(int which, byte[] row, int field) throws SQLException {
        String kept = authors[which].get(row, starts[field], ends[field]);
        return kept != null ? kept : authors[which].keep(row, starts[field], ends[field], text(row, field));
    }

    /** Puts a field of COPY's text format into {@link #unescaped} with PostgreSQL's backslash escapes undone; returns its length. */
    private int unescape(byte[] row, int start, int end) throws SQLException {
        if (unescaped.length < end - start) {
            unescaped = new byte[Math.max(end - start, unescaped.length * 2)];
        }
        byte[] out = unescaped;
        int length = 0;
        for (int i = start; i < end; i++) {
            byte b = row[i];
            if (b != '\\') {
                out[length++] = b;
                continue;
            }
            if (++i == end) {
                throw malformed("ends a field with a lone backslash");
            }
            byte c = row[i];
            switch (c) {
                case 'b' -> out[length++] = '\b';
                case 'f' -> out[length++] = '\f';
                case 'n' -> out[length++] = '\n';
                case 'r' -> out[length++] = '\r';
                case 't' -> out[length++] = '\t';
                case 'v' -> out[length++] = 0x0b;
                case 'x' -> {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < end && Character.digit(row[i + 1], 16) >= 0) {
                        value = value * 16 + Character.digit(row[++i], 16);
                        digits++;
                    }
                    out[length++] = (byte) (digits == 0 ? 'x' : value);
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int value = c - '0';
                        for (int digits = 1; digits < 3 && i + 1 < end && row[i + 1] >= '0' && row[i + 1] <= '7'; digits++) {
                            value = value * 8 + row[++i] - '0';
                        }
                        out[length++] = (byte) value;
                    } else {
                        out[length++] = c; // \\ and any other escaped character stand for themselves
                    }
                }
            }
        }
        return length;
    }

    /**
     * Puts the {@code updated_at} column into the entry as canonical text. The usual form,
     * {@code yyyy-MM-dd HH:MM:SS[.F]+00} with a four-digit year, is the ISO form of
     * {@link CanonicalText#instant(byte[], int, int, byte[], int)} but for the {@code T} and the
     * zone, so it is rewritten to it and checked and cut to the microsecond there; any other form
     * (years before 1000 or after 9999, BC) goes the long way ({@link #instant(byte[])}).
     */
    private void updatedAt(byte[] row, RawEntryBytes entry) throws SQLException {
        int start = starts[4];
        int end = ends[4];
        int length = end - 3 - start; // without the "+00"
        if (length >= 19 && length <= 26 && row[start + 10] == ' ' && row[end - 3] == '+' && row[end - 2] == '0' && row[end - 1] == '0') {
            System.arraycopy(row, start, iso, 0, length);
            iso[10] = 'T';
            iso[length] = 'Z';
            int written = CanonicalText.instant(iso, 0, length + 1, canonical, 0);
            if (written > 0) {
                entry.updatedAt(canonical, 0, written);
                return;
            }
        }
        byte[] text = instant(row).getBytes(StandardCharsets.US_ASCII);
        entry.updatedAt(text, 0, text.length);
    }

    /**
     * The {@code updated_at} column as canonical text. PostgreSQL writes a {@code timestamptz} in the
     * session's time zone, here UTC for the transaction, and in the ISO date style that pgjdbc
     * insists on: {@code Y-MM-DD HH:MM:SS[.F]+00[ BC]}, with a year of four or more digits and one
     * to six digits of fraction when it is not zero. Rows mostly share their date, so its day
     * number is kept while it repeats.
     */
    private String instant(byte[] row) throws SQLException {
        int start = starts[4];
        int end = ends[4];
        boolean bc = end - start > 3 && row[end - 3] == ' ' && row[end - 2] == 'B' && row[end - 1] == 'C';
        if (bc) {
            end -= 3;
        }
        if (end - start < 22 || row[end - 3] != '+' || row[end - 2] != '0' || row[end - 1] != '0') {
            throw malformed("has an updated_at that is not a UTC time in the ISO style: " + text(row, 4));
        }
        end -= 3;
        int space = start;
        while (space < end && row[space] != ' ') {
            space++;
        }
        int dateLength = space - start;
        if (dateLength < 10 || dateLength > lastDate.length - 1 || end - space < 9) {
            throw malformed("has an updated_at that is not a UTC time in the ISO style: " + text(row, 4));
        }
        long epochDay;
        if (dateLength + 1 == lastDateLength && Arrays.equals(lastDate, 0, dateLength, row, start, space)
                && lastDate[dateLength] == (bc ? 1 : 0)) {
            epochDay = lastEpochDay;
        } else {
            int year = digits(row, start, space - 6);
            int month = digits(row, space - 5, space - 3);
            int day = digits(row, space - 2, space);
            if (year < 0 || month < 0 || day < 0 || row[space - 6] != '-' || row[space - 3] != '-') {
                throw malformed("has an updated_at that is not a UTC time in the ISO style: " + text(row, 4));
            }
            try {
                epochDay = LocalDate.of(bc ? 1 - year : year, month, day).toEpochDay();
            } catch (DateTimeException e) {
                throw malformed("has an updated_at that is not a date: " + text(row, 4));
            }
            System.arraycopy(row, start, lastDate, 0, dateLength);
            lastDate[dateLength] = (byte) (bc ? 1 : 0);
            lastDateLength = dateLength + 1;
            lastEpochDay = epochDay;
        }
        int time = space + 1;
        int hour = digits(row, time, time + 2);
        int minute = digits(row, time + 3, time + 5);
        int second = digits(row, time + 6, time + 8);
        if (hour < 0 || minute < 0 || second < 0 || row[time + 2] != ':' || row[time + 5] != ':') {
            throw malformed("has an updated_at that is not a UTC time in the ISO style: " + text(row, 4));
        }
        int nanos = 0;
        int fraction = time + 8;
        if (fraction < end) {
            int digits = end - fraction - 1;
            int value = digits(row, fraction + 1, end);
            if (row[fraction] != '.' || digits < 1 || digits > 6 || value < 0) {
                throw malformed("has an updated_at that is not a UTC time in the ISO style: " + text(row, 4));
            }
            nanos = value;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        return CanonicalText.instant(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number that the decimal digits in {@code [start, end)} write, or -1 if they are not all digits (or are more than 9). */
    private static int digits(byte[] row, int start, int end) {
        if (start >= end || end - start > 9) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            int digit = row[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private long number(byte[] row, int field) throws SQLException {
        int at = starts[field];
        int end = ends[field];
        boolean negative = at < end && row[at] == '-';
        if (negative) {
            at++;
        }
        if (at == end || end - at > 19) {
            throw malformed("has no integer in column " + (field + 1));
        }
        long value = 0;
        for (; at < end; at++) {
            int digit = row[at] - '0';
            if (digit < 0 || digit > 9) {
                throw malformed("has no integer in column " + (field + 1));
            }
            if (value < Long.MIN_VALUE / 10 || value * 10 < Long.MIN_VALUE + digit) {
                throw malformed("has an integer beyond 64 bits in column " + (field + 1));
            }
            value = value * 10 - digit; // accumulated negative, as Long.parseLong does, so that Long.MIN_VALUE fits
        }
        if (!negative && value == Long.MIN_VALUE) {
            throw malformed("has an integer beyond 64 bits in column " + (field + 1));
        }
        return negative ? value : -value;
    }

    private SQLException malformed(String problem) {
        String row = "row " + rows;
        if (current != null && ends[0] >= 0) { // the key is the first field; name it once it is split off
            row += " (key " + new String(current, starts[0], ends[0] - starts[0], StandardCharsets.UTF_8) + ")";
        }
        return new SQLException(row + " that COPY sent of " + table + " " + problem + "; fix or remove that row");
    }

    /** Ends the COPY: at its end nothing is left to do, before it the server is told to stop sending. */
    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
