package dev.waterfall.sqlite;

import dev.waterfall.config.spi.CanonicalText;
import dev.waterfall.config.spi.RawEntryBytes;
import dev.waterfall.jdbc.RawRow;
import dev.waterfall.jdbc.RawRows;
import dev.waterfall.jdbc.RepeatedText;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The raw rows of a namespace read a page at a time: SQLite joins each page of {@value #PAGE} rows
 * into one text, so that a million-row export makes a thousand trips through the driver instead of
 * a million (sqlite-jdbc's cost is per row stepped and per column read: a JNI call, checks, a copy;
 * stepping a million rows of {@code SELECT 1} alone takes about 0.4 s).
 *
 * <p>A page is the next {@value #PAGE} rows in key order after the last key of the page before, in
 * the connection's read transaction, so the pages are one snapshot. Each row is its nine columns
 * joined by the control character US ({@code 0x1f}), rows joined by RS ({@code 0x1e}); the
 * {@code type} column is written {@code '!' || type}, or empty when NULL (the usual case), so that
 * a NULL type and an empty one stay apart ({@code concat_ws} would leave a NULL out). Separators are cheap for SQLite to write (lengths cost it twice as much) but
 * a column could hold them, and SQLite does not promise the order in which {@code group_concat}
 * joins rows, so nothing is taken on trust: a page is used only if it splits into exactly as many
 * rows as the query counted, each of exactly nine fields, with keys strictly rising (bytewise, as
 * SQLite orders them) from the page before. A text that held a separator would add a row or a
 * field, so such a page always fails the check; it is then read again column by column (the
 * one column read at a time), with the same rows. Waterfall's own rows never
 * hold a control character outside JSON escapes, so in practice every page passes.
 *
 * <p>Not thread-safe; one per cursor.
 */
final class PagedRawRows implements RawRows {

    /** Rows per page: about 100 KB of text for typical rows. */
    static final int PAGE = 1000;

    private static final byte FIELD = 0x1f;
    private static final byte ROW = 0x1e;
    private static final int FIELDS = 9;

    private static final String COLUMNS = "key, value, type, revision, updated_at, updated_by_surface, updated_by_user, updated_by_host,"
            + " updated_by_pid";

    private static final String JOINED = "concat_ws(char(31), key, value, coalesce('!' || type, ''), revision, updated_at, updated_by_surface,"
            + " updated_by_user, updated_by_host, updated_by_pid)";

    private final Connection connection;
    private final String table;
    private final String namespace;
    // The page: its text and where each row's fields start (FIELDS + 1 marks per row, the last one past its end).
    private byte[] text;
    private final int[] marks = new int[PAGE * (FIELDS + 1)];
    // A page read column by column instead.
    private final Column[] columns = new Column[PAGE];
    private boolean byColumn;
    private final byte[] canonical = new byte[32];
    private PreparedStatement firstPage;
    private PreparedStatement nextPage;
    private int count;
    private int handed;
    private boolean last;
    private byte[] lastKey;
    // Rows mostly repeat a few authors: their texts are made once while they repeat.
    private final RepeatedText[] authors = {new RepeatedText(), new RepeatedText(), new RepeatedText()};

    /** One row of a page read column by column: rare, so plain objects. */
    private record Column(byte[] key, byte[] value, String type, long revision, String updatedAt, String surface, String user,
                          String host, long pid) {
    }

    PagedRawRows(Connection connection, String table, String namespace) {
        this.connection = connection;
        this.table = table;
        this.namespace = namespace;
    }

    @Override
    public boolean next(RawRow into) throws SQLException {
        if (handed == count) {
            if (last) {
                return false;
            }
            readPage();
            if (count == 0) {
                return false;
            }
        }
        RawEntryBytes entry = into.entry();
        entry.clear();
        int row = handed++;
        if (byColumn) {
            Column column = columns[row];
            columns[row] = null;
            entry.key(column.key(), 0, column.key().length);
            entry.value(column.value(), 0, column.value().length);
            into.typeLabel(column.type());
            entry.revision(column.revision());
            byte[] at = column.updatedAt().getBytes(StandardCharsets.US_ASCII);
            entry.updatedAt(at, 0, at.length);
            entry.actor(column.surface(), column.user(), column.host(), column.pid());
            return true;
        }
        int[] field = marks;
        int f = row * (FIELDS + 1);
        entry.key(text, field[f], field[f + 1] - 1);
        entry.value(text, field[f + 1], field[f + 2] - 1);
        into.typeLabel(field[f + 3] - 1 > field[f + 2] ? string(text, field[f + 2] + 1, field[f + 3] - 1) : null);
        entry.revision(number(text, field[f + 3], field[f + 4] - 1));
        int written = CanonicalText.instant(text, field[f + 4], field[f + 5] - 1, canonical, 0);
        if (written > 0) {
            entry.updatedAt(canonical, 0, written);
        } else { // another form Instant.parse reads, or none (which throws, as the typed cursor would)
            byte[] at = CanonicalText.instant(string(text, field[f + 4], field[f + 5] - 1)).getBytes(StandardCharsets.US_ASCII);
            entry.updatedAt(at, 0, at.length);
        }
        entry.actor(repeated(0, text, field[f + 5], field[f + 6] - 1), repeated(1, text, field[f + 6], field[f + 7] - 1),
                repeated(2, text, field[f + 7], field[f + 8] - 1), number(text, field[f + 8], field[f + 9] - 1));
        return true;
    }

    private void readPage() throws SQLException {
        PreparedStatement query = lastKey == null ? firstPage() : nextPage();
        byte[] page;
        int counted;
        try (ResultSet result = query.executeQuery()) {
            result.next();
            counted = result.getInt(1);
            page = result.getBytes(2);
        }
        handed = 0;
        count = 0;
        last = counted < PAGE;
        if (counted == 0) {
            return;
        }
        byColumn = page == null || !split(page, counted);
        if (byColumn) {
            readPageColumnByColumn(counted);
            lastKey = columns[counted - 1].key();
        } else {
            text = page;
            int f = (counted - 1) * (FIELDS + 1);
            lastKey = Arrays.copyOfRange(page, marks[f], marks[f + 1] - 1);
        }
        count = counted;
    }

    private PreparedStatement firstPage() throws SQLException {
        if (firstPage == null) {
            firstPage = connection.prepareStatement(joinedPageQuery(false));
            firstPage.setString(1, namespace);
        }
        return firstPage;
    }

    private PreparedStatement nextPage() throws SQLException {
        if (nextPage == null) {
            nextPage = connection.prepareStatement(joinedPageQuery(true));
            nextPage.setString(1, namespace);
        }
        nextPage.setString(2, new String(lastKey, StandardCharsets.UTF_8));
        return nextPage;
    }

    /** The page's rows joined into one text, with their count. */
    private String joinedPageQuery(boolean afterKey) {
        return "SELECT count(*), group_concat(joined, char(30)) FROM (" + pageQuery(JOINED + " AS joined", afterKey) + ")";
    }

    /** The next page's rows: {@code select} of the namespace's rows in key order, after the key bound second if {@code afterKey}. */
    private String pageQuery(String select, boolean afterKey) {
        return "SELECT " + select + " FROM " + table + " WHERE namespace = ?" + (afterKey ? " AND key > ?" : "")
                + " ORDER BY key LIMIT " + PAGE;
    }

    /**
     * Marks the fields of a page's rows in {@link #marks}; false unless it is exactly {@code counted}
     * rows of nine fields, in key order, with the numbers and the type in their form.
     */
    private boolean split(byte[] text, int counted) {
        byte[] previousKey = lastKey;
        int previousStart = 0;
        int previousEnd = previousKey == null ? 0 : previousKey.length;
        int at = 0;
        for (int row = 0; row < counted; row++) {
            int f = row * (FIELDS + 1);
            int found = 0;
            marks[f] = at;
            int end = text.length;
            for (int i = at; i < text.length; i++) {
                byte b = text[i];
                if (b == FIELD) {
                    if (++found == FIELDS) {
                        return false;
                    }
                    marks[f + found] = i + 1;
                } else if (b == ROW) {
                    end = i;
                    break;
                }
            }
            if (found != FIELDS - 1 || (end == text.length) != (row == counted - 1)) {
                return false;
            }
            marks[f + FIELDS] = end + 1; // so that field n ends at marks[f + n + 1] - 1
            int keyEnd = marks[f + 1] - 1;
            if (previousKey != null && Arrays.compareUnsigned(previousKey, previousStart, previousEnd, text, at, keyEnd) >= 0) {
                return false;
            }
            int typeStart = marks[f + 2];
            if (marks[f + 3] - 1 > typeStart && text[typeStart] != '!') {
                return false;
            }
            if (number(text, marks[f + 3], marks[f + 4] - 1) == Long.MIN_VALUE || number(text, marks[f + 8], marks[f + 9] - 1) == Long.MIN_VALUE) {
                return false;
            }
            previousKey = text;
            previousStart = at;
            previousEnd = keyEnd;
            at = end + 1;
        }
        return true;
    }

    private static String string(byte[] text, int start, int end) {
        return new String(text, start, end - start, StandardCharsets.UTF_8);
    }

    private String repeated(int which, byte[] text, int start, int end) {
        String kept = authors[which].get(text, start, end);
        return kept != null ? kept : authors[which].keep(text, start, end, string(text, start, end));
    }

    /** A decimal integer as SQLite writes one, or {@link Long#MIN_VALUE} if the text is not one (or is that value). */
    private static long number(byte[] text, int start, int end) {
        boolean negative = start < end && text[start] == '-';
        int at = negative ? start + 1 : start;
        if (at == end || end - at > 18) {
            return Long.MIN_VALUE; // longer numbers are rare enough to read column by column
        }
        long value = 0;
        for (; at < end; at++) {
            int digit = text[at] - '0';
            if (digit < 0 || digit > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /** Reads the page again the default way, one column at a time: the same rows, whatever their text holds. */
    private void readPageColumnByColumn(int counted) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(pageQuery(COLUMNS, lastKey != null))) {
            query.setString(1, namespace);
            if (lastKey != null) {
                query.setString(2, new String(lastKey, StandardCharsets.UTF_8));
            }
            int row = 0;
            try (ResultSet page = query.executeQuery()) {
                while (page.next()) {
                    if (row == counted) {
                        throw new SQLException("a page of " + table + " had " + counted + " rows when counted and more when read");
                    }
                    columns[row++] = new Column(page.getBytes(1), page.getBytes(2), page.getString(3), page.getLong(4),
                            CanonicalText.instant(page.getString(5)), page.getString(6), page.getString(7), page.getString(8),
                            page.getLong(9));
                }
            }
            if (row != counted) {
                throw new SQLException("a page of " + table + " had " + counted + " rows when counted and " + row + " when read");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (PreparedStatement first = firstPage; PreparedStatement following = nextPage) {
            Arrays.fill(columns, null);
            text = null;
        }
    }
}
