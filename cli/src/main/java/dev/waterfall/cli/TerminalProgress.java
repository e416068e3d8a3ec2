package dev.waterfall.cli;

import dev.waterfall.export.ExportProgress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the progress of an export, import or migration on one line of a terminal's stderr,
 * rewritten in place at most five times a second, and erases it at the end. Only for a terminal:
 * redirected output gets no progress at all.
 */
final class TerminalProgress implements ExportProgress {

    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String verb;
    private long shownAt;
    private int width;

    TerminalProgress(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    /** Progress for {@code command}: on its stderr when {@code wanted} says so, or (when null) when a terminal is attached. */
    static ExportProgress of(WaterfallCommand command, Boolean wanted, String verb) {
        boolean show = wanted != null ? wanted : System.console() != null && !command.json();
        return show ? new TerminalProgress(command.err(), verb) : ExportProgress.NONE;
    }

    @Override
    public void update(long rowsDone, long rowsTotal) {
        long now = System.nanoTime();
        if (rowsDone != 0 && rowsDone != rowsTotal && now - shownAt < INTERVAL_NANOS) {
            return;
        }
        shownAt = now;
        String line = rowsTotal > 0
                ? String.format(Locale.ROOT, "%s %,d of %,d rows (%d%%)", verb, rowsDone, rowsTotal, rowsDone * 100 / rowsTotal)
                : String.format(Locale.ROOT, "%s %,d rows", verb, rowsDone);
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        width = line.length();
        err.flush();
    }

    /** Erases the progress line, if one was shown. */
    void clear() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }

    /** Erases the progress line of {@code progress} if it is a terminal's. */
    static void clear(ExportProgress progress) {
        if (progress instanceof TerminalProgress terminal) {
            terminal.clear();
        }
    }
}
