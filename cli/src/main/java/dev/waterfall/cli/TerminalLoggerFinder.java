package dev.waterfall.cli;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * Where the library's {@link System.Logger} records go when it runs inside the {@code waterfall}
 * command: warnings and errors as one line on stderr ({@code waterfall: warning: ...}), the same
 * shape as the command's own messages; info, debug and trace records are dropped, since a one-shot
 * command has nobody to read them. Flyway's records are dropped whatever their level: Waterfall
 * retries a migration that another process's raced (Flyway has logged "Migration ... failed!" as an
 * error by then, for a command that then succeeds) and reports one that really fails as the
 * command's own error, once. HikariCP's warnings are dropped for the same reason: a connection the
 * server killed fails the command, which says so itself.
 *
 * <p>Installed as the JVM's {@code System.LoggerFinder} service (module descriptor and
 * {@code META-INF/services}). Besides the output's shape, this spares every run the start-up of
 * {@code java.util.logging}, which the default finder initialises on the first {@code getLogger}.
 */
public final class TerminalLoggerFinder extends System.LoggerFinder {

    private final PrintStream err;

    /** The finder the JVM loads: writes to {@code System.err}. */
    public TerminalLoggerFinder() {
        this(System.err);
    }

    TerminalLoggerFinder(PrintStream err) {
        this.err = Objects.requireNonNull(err, "err");
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new TerminalLogger(name, err);
    }

    /** A logger that prints warnings and errors as one line. */
    private record TerminalLogger(String name, PrintStream err) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            if (level == Level.OFF || level.getSeverity() < Level.WARNING.getSeverity() || name.startsWith("org.flywaydb.")) {
                return false;
            }
            // HikariCP warns of each connection it finds broken ("marked as broken because of
            // SQLSTATE(57P01)") just before the command reports the same failure as its own error:
            // two lines for one cause, the first in the pool's words. Its errors still show.
            return !name.startsWith("com.zaxxer.hikari.") || level.getSeverity() >= Level.ERROR.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                print(level, (message == null ? "" : message)
                        + (thrown == null ? "" : " (" + thrown.getClass().getSimpleName() + ": " + thrown.getMessage() + ")"));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... parameters) {
            if (isLoggable(level)) {
                String text = format == null ? "" : format;
                print(level, parameters == null || parameters.length == 0 ? text : MessageFormat.format(text, parameters));
            }
        }

        private void print(Level level, String message) {
            err.println("waterfall: " + (level == Level.ERROR ? "error: " : "warning: ")
                    + dev.waterfall.config.spi.Echo.controls(WaterfallCli.oneLine(message)));
            err.flush();
        }
    }
}
