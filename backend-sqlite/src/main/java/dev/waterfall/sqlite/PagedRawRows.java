package dev.waterfall.sqlite;

import dev.waterfall.config.rows.CanonicalText;
import dev.waterfall.config.rows.RawEntryBytes;
import dev.waterfall.jdbc.RawRow;
import dev.waterfall.jdbc.RawRows;
import dev.waterfall.jdbc.RepeatedText;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
 * <p>The pages are read ahead on a thread of their own, at most two waiting, while the caller hands
 * out the rows of the page before: SQLite's work for a page is most of its cost, and it then runs
 * on the other core. The connection is the reading thread's until {@link #close()} has waited for
 * it; the store's lock on its reader connection keeps every other thread away meanwhile.
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
    // Read ahead on a thread of its own: the pages, or the failure that ended the reading.
    private final BlockingQueue<Object> pages = new ArrayBlockingQueue<>(2);
    private Thread reader;
    private volatile boolean stopping;
    private Throwable failed;
    // The page being handed out, row by row.
    private Page page;
    private int handed;
    private final byte[] canonical = new byte[32];
    // Used by the reading thread only, until close() has waited for it.
    private PreparedStatement firstPage;
    private PreparedStatement nextPage;
    // Rows mostly repeat a few authors: their texts are made once while they repeat.
    private final RepeatedText[] authors = {new RepeatedText(), new RepeatedText(), new RepeatedText()};

    /**
     * One page: its text and where each row's fields start ({@code FIELDS + 1} marks per row, the
     * last one past its end), or its rows read column by column.
     */
    private static final class Page {
        final int count;
        final boolean last;
        byte[] text;
        int[] marks;
        Column[] columns;

        Page(int count) {
            this.count = count;
            this.last = count < PAGE;
        }

        byte[] lastKey() {
            if (columns != null) {
                return columns[count - 1].key();
            }
            int f = (count - 1) * (FIELDS + 1);
            return Arrays.copyOfRange(text, marks[f], marks[f + 1] - 1);
        }
    }

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
        if (page == null || handed == page.count) {
            if (page != null && page.last) {
                return false;
            }
            page = take();
            handed = 0;
            if (page.count == 0) {
                return false;
            }
        }
        RawEntryBytes entry = into.entry();
        entry.clear();
        int row = handed++;
        if (page.columns != null) {
            Column column = page.columns[row];
            entry.key(column.key(), 0, column.key().length);
            entry.value(column.value(), 0, column.value().length);
            into.typeLabel(column.type());
            entry.revision(column.revision());
            byte[] at = column.updatedAt().getBytes(StandardCharsets.US_ASCII);
            entry.updatedAt(at, 0, at.length);
            entry.actor(column.surface(), column.user(), column.host(), column.pid());
            return true;
        }
        byte[] text = page.text;
        int[] field = page.marks;
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

    /** The next page, read ahead on the reading thread (started by the first call). */
    private Page take() throws SQLException {
        if (failed == null) {
            if (reader == null) {
                reader = new Thread(this::readAhead, "waterfall-sqlite-pages " + table);
                reader.setDaemon(true);
                reader.start();
            }
            try {
                Object next = pages.take();
                if (next instanceof Page taken) {
                    return taken;
                }
                failed = (Throwable) next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while reading " + table, e);
            }
        }
        if (failed instanceof SQLException e) {
            throw e;
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        throw new SQLException("reading " + table + " failed: " + failed, failed);
    }

    /**
     * The reading thread: SQLite's work for the next page (most of a page's cost) runs while the
     * caller hands out the rows of the one before, on the other core.
     */
    private void readAhead() {
        byte[] after = null;
        try {
            while (!stopping) {
                Page next = readPage(after);
                if (next.last) {
                    hand(next);
                    return;
                }
                after = next.lastKey(); // before the page is handed over, and is the caller's
                if (!hand(next)) {
                    return;
                }
            }
        } catch (Throwable e) {
            try {
                hand(e);
            } catch (InterruptedException stop) {
                // close() is waiting for this thread to end
            }
        }
    }

    /** Queues a page or a failure for the caller; false if the rows were closed meanwhile. */
    private boolean hand(Object item) throws InterruptedException {
        while (!stopping) {
            if (pages.offer(item, 50, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** The page after the key {@code after} (the first page if null). */
    private Page readPage(byte[] after) throws SQLException {
        PreparedStatement query = after == null ? firstPage() : nextPage(after);
        byte[] text;
        int counted;
        try (ResultSet result = query.executeQuery()) {
            result.next();
            counted = result.getInt(1);
            text = result.getBytes(2);
        }
        Page read = new Page(counted);
        if (counted == 0) {
            return read;
        }
        int[] marks = new int[counted * (FIELDS + 1)];
        if (text != null && split(text, counted, marks, after)) {
            read.text = text;
            read.marks = marks;
        } else {
            read.columns = readPageColumnByColumn(counted, after);
        }
        return read;
    }

    private PreparedStatement firstPage() throws SQLException {
        if (firstPage == null) {
            firstPage = connection.prepareStatement(joinedPageQuery(false));
            firstPage.setString(1, namespace);
        }
        return firstPage;
    }

    private PreparedStatement nextPage(byte[] after) throws SQLException {
        if (nextPage == null) {
            nextPage = connection.prepareStatement(joinedPageQuery(true));
            nextPage.setString(1, namespace);
        }
        nextPage.setString(2, new String(after, StandardCharsets.UTF_8));
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
     * Marks the fields of a page's rows in {@code marks}; false unless it is exactly {@code counted}
     * rows of nine fields, in key order after the key {@code after}, with the numbers and the type
     * in their form.
     */
    private static boolean split(byte[] text, int counted, int[] marks, byte[] after) {
        byte[] previousKey = after;
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
    private Column[] readPageColumnByColumn(int counted, byte[] after) throws SQLException {
        Column[] columns = new Column[counted];
        try (PreparedStatement query = connection.prepareStatement(pageQuery(COLUMNS, after != null))) {
            query.setString(1, namespace);
            if (after != null) {
                query.setString(2, new String(after, StandardCharsets.UTF_8));
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
        return columns;
    }

    /** Stops the reading thread and waits for it (a query under way ends first), then closes the statements. */
    @Override
    public void close() throws SQLException {
        stopping = true;
        pages.clear();
        if (reader != null) {
            boolean interrupted = false;
            while (reader.isAlive()) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        page = null;
        pages.clear();
        try (PreparedStatement first = firstPage; PreparedStatement following = nextPage) {
            // both closed; either may be null
        }
    }
}
