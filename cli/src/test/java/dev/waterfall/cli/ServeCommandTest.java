package dev.waterfall.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waterfall serve}'s refusals, which return at once; the console itself runs in
 * ConsoleBrowserJarTest (a real process and a real browser).
 */
class ServeCommandTest {

    @TempDir
    Path home;

    @Test
    void serve_onAPortThatIsNoTcpPort_isAUsageError() {
        Cli.Result result = new Cli(home).run("serve", "--port", "70000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("waterfall: --port 70000 is not a TCP port: give 1 to 65535, or 0 for a free one (see 'waterfall serve --help')\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void serve_onAPortInUse_namesItAndSaysWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result result = new Cli(home).run("serve", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).startsWith("waterfall: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .endsWith("; pick another port with --port N, or 0 for a free one (see 'waterfall serve --help')\n").hasLineCount(1);
            assertThat(result.out()).isEmpty();
        }
    }
}
