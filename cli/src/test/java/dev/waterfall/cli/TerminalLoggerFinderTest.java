package dev.waterfall.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalLoggerFinderTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final System.Logger logger = new TerminalLoggerFinder(new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .getLogger("dev.waterfall.file.FileStore", TerminalLoggerFinderTest.class.getModule());

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void warning_isOneLineOnStderr() {
        logger.log(Level.WARNING, "config.json.meta.json is unreadable\n(truncated); rebuilding");

        assertThat(printed()).isEqualTo("waterfall: warning: config.json.meta.json is unreadable (truncated); rebuilding\n");
    }

    @Test
    void error_withAThrowable_namesItOnTheSameLine() {
        logger.log(Level.ERROR, "closing failed", new IOException("disk gone"));

        assertThat(printed()).isEqualTo("waterfall: error: closing failed (IOException: disk gone)\n");
    }

    @Test
    void formatWithParameters_isFormatted() {
        logger.log(Level.WARNING, "pruned {0} of {1}", 2, 5);

        assertThat(printed()).isEqualTo("waterfall: warning: pruned 2 of 5\n");
    }

    @Test
    void infoAndBelow_areDropped() {
        logger.log(Level.INFO, "rebuilt metadata");
        logger.log(Level.DEBUG, "detail");
        logger.log(Level.TRACE, "more detail");

        assertThat(logger.isLoggable(Level.INFO)).isFalse();
        assertThat(logger.isLoggable(Level.WARNING)).isTrue();
        assertThat(printed()).isEmpty();
    }

    /** Issue 15, item 10: a killed PostgreSQL backend gave the pool's warning line before the command's one-line error. */
    @Test
    void thePoolsWarnings_areDropped_forTheCommandReportsTheFailureItself() {
        System.Logger pool = new TerminalLoggerFinder(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .getLogger("com.zaxxer.hikari.pool.PoolBase", TerminalLoggerFinderTest.class.getModule());

        pool.log(Level.WARNING, "HikariPool-1 - Connection org.postgresql.jdbc.PgConnection@1 marked as broken because of SQLSTATE(57P01)");

        assertThat(printed()).isEmpty();
        pool.log(Level.ERROR, "HikariPool-1 - pool is gone");
        assertThat(printed()).contains("pool is gone");
    }

    @Test
    void controlCharactersInAMessage_areEscaped() {
        logger.log(Level.WARNING, "file \u001b]0;pwned\u0007 is odd");

        assertThat(printed()).isEqualTo("waterfall: warning: file \\u001b]0;pwned\\u0007 is odd\n");
    }

    @Test
    void flywaysRecords_areDropped_evenErrors_forWaterfallReportsWhatReallyFailed() {
        System.Logger flyway = new TerminalLoggerFinder(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .getLogger("org.flywaydb.core.internal.command.DbMigrate", TerminalLoggerFinderTest.class.getModule());

        flyway.log(Level.ERROR, "Migration of schema \"main\" to version \"1 - entries history namespaces\" failed!");

        assertThat(flyway.isLoggable(Level.ERROR)).isFalse();
        assertThat(printed()).isEmpty();
    }

    @Test
    void theJvm_usesItAsItsLoggerFinder() {
        assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(TerminalLoggerFinder.class);
    }
}
