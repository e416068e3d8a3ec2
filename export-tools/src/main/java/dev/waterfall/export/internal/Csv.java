package dev.waterfall.export.internal;

/**
 * The CSV dialect of dumps: RFC 4180 with LF line ends, and the spreadsheet formula guard.
 */
public final class Csv {

    /** Prefixed to a cell that would start a formula. */
    public static final char FORMULA_GUARD = '\'';

    private Csv() {
    }

    /**
     * Whether a cell starting with {@code c} would be taken as a formula by a spreadsheet:
     * {@code = + - @}, tab and carriage return (OWASP's list).
     */
    public static boolean startsFormula(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /**
     * Undoes the formula guard: drops a leading {@code '} that precedes a formula character. No
     * column of a dump can begin with {@code '} by itself (a key, JSON text, a type label, a number,
     * a timestamp, a JSON object), so this removes exactly what the writer added.
     */
    public static String unguard(String cell) {
        if (cell.length() >= 2 && cell.charAt(0) == FORMULA_GUARD && startsFormula(cell.charAt(1))) {
            return cell.substring(1);
        }
        return cell;
    }
}
