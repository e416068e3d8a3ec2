package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd service, crontab line and launchd agent of docs/export.md ("Scheduled exports"), run
 * as written, each with the test's checkout (for {@code /opt/waterfall}) and home folder, the
 * long-running ones stopped with SIGTERM. The page's console sessions run in {@link DocExamplesJarTest}.
 */
@Tag("packaged")
class ScheduledExportExamplesJarTest {

    private static final String CHECKOUT = "/opt/waterfall";

    @TempDir
    Path home;

    @Test
    void docs_systemdService_exportsAtOnceAndStopsCleanlyOnSigterm() throws Exception {
        String unit = DocExamples.code("export-systemd");
        assertThat(unit).contains("\nSuccessExitStatus=143\n");
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);
        assertThat(exec.find()).isTrue();
        String command = exec.group(1).replace(CHECKOUT, Processes.repository().toString()).replace("%h", home.toString());

        runUntilSigterm(List.of("bash", "-c", "exec " + command), home.resolve("service.log"));

        assertThat(dumps()).hasSize(1);
    }

    @Test
    void docs_cronLine_exportsOnceThenSkipsWhileUnchanged() throws Exception {
        String line = DocExamples.code("export-cron").strip();
        String command = line.split("\\s+", 6)[5].replace(CHECKOUT, Processes.repository().toString());
        Files.createDirectories(home.resolve("backups"));
        Processes.run(List.of("bash", "-c", "./waterfall set plant.default_name Rosemary"), Processes.repository(),
                Processes.cleanEnvironment(home), Duration.ofMinutes(5));

        for (int run = 0; run < 2; run++) {
            Processes.Result result = Processes.run(List.of("bash", "-c", command), home, Processes.cleanEnvironment(home), Duration.ofMinutes(5));
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }

        String log = Files.readString(home.resolve("backups/export.log"));
        assertThat(log).contains("exported 1 rows of json:").contains("unchanged since");
        assertThat(dumps()).hasSize(1);
    }

    @Test
    void docs_launchdAgent_exportsAtOnceAndStopsCleanlyOnSigterm() throws Exception {
        String plist = DocExamples.code("export-launchd");
        String arguments = plist.substring(plist.indexOf("<key>ProgramArguments</key>"), plist.indexOf("</array>"));
        List<String> command = new ArrayList<>();
        Matcher string = Pattern.compile("<string>([^<]*)</string>").matcher(arguments);
        while (string.find()) {
            command.add(string.group(1).replace(CHECKOUT, Processes.repository().toString()).replace("/Users/me", home.toString()));
        }
        Matcher log = Pattern.compile("<key>StandardOutPath</key><string>([^<]*)</string>").matcher(plist);
        assertThat(log.find()).isTrue();
        assertThat(plist).contains("<key>StandardErrorPath</key><string>" + log.group(1) + "</string>");
        Files.createDirectories(home.resolve("backups"));

        runUntilSigterm(command, Path.of(log.group(1).replace("/Users/me", home.toString())));

        assertThat(dumps()).hasSize(1);
    }

    /** Starts {@code command} (output to {@code log}), waits for its first export, sends SIGTERM and checks the clean stop. */
    private void runUntilSigterm(List<String> command, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(Processes.cleanEnvironment(home));
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!(Files.exists(log) && Files.readString(log).contains(" exported ")) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(process.isAlive()).as("still running after its first export:\n" + Files.readString(log)).isTrue();
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("the exit status the unit declares a success\n" + Files.readString(log)).isEqualTo(143);
            assertThat(Files.readString(log)).contains("stop with Ctrl-C or SIGTERM").contains("waterfall: stopped");
            try (Stream<Path> files = Files.list(home.resolve("backups"))) {
                assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp")).contains("latest_export.csv");
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private List<String> dumps() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("backups"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("\\d{8}T\\d{6}Z_config_export\\.csv")).toList();
        }
    }
}
