package dev.waterfall.cli;

import dev.waterfall.config.Value;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waterfall watch} in a real process, seeing the commits of other processes as they are
 * made, and stopping cleanly on SIGTERM.
 */
@Tag("packaged")
class WatchJarTest {

    @TempDir
    Path home;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void watch_printsEachCommitOfOtherProcesses_asHistoryLines_untilSigterm() throws Exception {
        String store = "ndjson:" + home.resolve("state.ndjson");
        Processes.runJar(home, "--store", store, "set", "before", "0");
        Watcher watcher = Watcher.start(home, "--store", store, "watch", "--since", "0");

        assertThat(watcher.nextLine()).matches("r1  \\S+  before  \\(absent\\) -> 0  by cli me@laptop pid \\d+");
        Processes.runJar(home, "--store", store, "set", "server.port", "8080");
        assertThat(watcher.nextLine()).matches("r2  \\S+  server.port  \\(absent\\) -> 8080  by cli me@laptop pid \\d+");
        Processes.runJar(home, "--store", store, "set", "api.token", "t0ps3cret", "--plaintext-secret");
        assertThat(watcher.nextLine()).matches("r3  \\S+  api.token  \\(absent\\) -> <redacted>  by cli .*");
        Processes.runJar(home, "--store", store, "unset", "server.port");
        assertThat(watcher.nextLine()).matches("r4  \\S+  server.port  8080 -> \\(removed\\)  by cli .*");

        assertThat(watcher.stop()).as("the JVM's exit code after SIGTERM").isEqualTo(143);
        assertThat(watcher.err).startsWith("watching " + store + " from revision 1; Ctrl-C stops");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void watch_json_ofAPrefix_isOneObjectPerLine_ofThoseKeysOnly() throws Exception {
        Watcher watcher = Watcher.start(home, "watch", "server", "--json");

        Processes.runJar(home, "set", "other", "1");
        Processes.runJar(home, "set", "server.port", "8080");

        String line = watcher.nextLine();
        assertThat(line).doesNotContain("\n").startsWith("{\"revision\":2,");
        Value record = Value.parseJson(line);
        assertThat(Cli.at(record, "key")).isEqualTo(Value.of("server.port"));
        assertThat(Cli.at(record, "new.value")).isEqualTo(Value.of(8080));
        watcher.stop();
        assertThat(watcher.lines).isEmpty();
    }

    /** A {@code waterfall watch} process whose stdout lines arrive in a queue. */
    private static final class Watcher {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        String err = "";

        private Watcher(Process process) {
            this.process = process;
        }

        static Watcher start(Path home, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
            builder.environment().clear();
            builder.environment().putAll(Processes.cleanEnvironment(home));
            Watcher watcher = new Watcher(builder.start());
            Thread pump = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(watcher.process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        watcher.lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            pump.setDaemon(true);
            pump.start();
            // Ready once it says so on stderr (its first line).
            BufferedReader errors = new BufferedReader(new InputStreamReader(watcher.process.getErrorStream(), StandardCharsets.UTF_8));
            String first = errors.readLine();
            assertThat(first).as("the watch started").isNotNull().startsWith("watching ");
            watcher.err = first;
            return watcher;
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("a line from watch within 30 s").isNotNull();
            return line;
        }

        int stop() throws InterruptedException {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            return process.exitValue();
        }
    }
}
