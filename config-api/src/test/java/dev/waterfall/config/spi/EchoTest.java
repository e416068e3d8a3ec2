package dev.waterfall.config.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 10: how messages show text from outside, and why a file operation failed. A
 * permission error's own message is only its path, which printed as {@code cannot read X: X}.
 * (Tests run as root, for whom no permission is ever denied, so the exceptions are made here.)
 */
class EchoTest {

    @Test
    void cause_ofAFileSystemFailureWithoutReason_saysWhatKindOfFailureItIs() {
        assertThat(Echo.cause(new AccessDeniedException("/home/ana/.config/app/config.json"))).isEqualTo(
                "permission denied (/home/ana/.config/app/config.json)");
        assertThat(Echo.cause(new NoSuchFileException("/x/y.json"))).isEqualTo("no such file or folder (/x/y.json)");
    }

    @Test
    void cause_ofAFailureWithTheSystemsReason_isThatReason_withoutRepeatingThePath() {
        assertThat(Echo.cause(new FileSystemException("/mnt/ro/config.json.lock", null, "Read-only file system")))
                .isEqualTo("read-only file system (/mnt/ro/config.json.lock)");
        assertThat(Echo.cause(new AccessDeniedException("/a", null, "the file /a is read-only"))).isEqualTo("the file /a is read-only");
        assertThat(Echo.cause(new IOException("disk \u001b[2J gone"))).isEqualTo("disk \\u001b[2J gone");
    }

    @Test
    void of_escapesControlAndInvisibleCharacters_andShortensLongText() {
        assertThat(Echo.of("a\u0000b\u001b[31mc\u009bd\u202ee\u2028")).isEqualTo("a\\u0000b\\u001b[31mc\\u009bd\\u202ee\\u2028");
        assertThat(Echo.of("plain.key")).isEqualTo("plain.key");
        String shown = Echo.of("k".repeat(100_000));
        assertThat(shown).hasSizeLessThan(Echo.MAX_LENGTH + 30).endsWith("... (100000 characters)");
    }

    @Test
    void parserMessage_dropsJacksonsInternals() {
        assertThat(Echo.parserMessage("Number value length (2000) exceeds the maximum allowed (1000, from "
                + "`StreamReadConstraints.getMaxNumberLength()`)\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
                + "disabled); line: 1, column: 2009]"))
                .isEqualTo("Number value length (2000) exceeds the maximum allowed (1000)");
        assertThat(Echo.parserMessage("Unexpected character ('x') at [Source: REDACTED; line: 1, column: 2]"))
                .isEqualTo("Unexpected character ('x')");
    }
}
