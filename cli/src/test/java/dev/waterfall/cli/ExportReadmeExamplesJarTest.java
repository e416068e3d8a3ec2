package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The README's section on export, import and migration, run as written: its {@code ```console}
 * blocks in order, as {@link ReadmeExamplesJarTest} runs the command-line section's, and the systemd
 * service, crontab line and launchd agent of "Scheduled exports", each with the test's checkout
 * (for {@code /opt/waterfall}) and home folder, the long-running ones stopped with SIGTERM.
 */
@Tag("packaged")
class ExportReadmeExamplesJarTest {

    private static final String SECTION = "## Export, import and migration";
    private static final String MARK = "@@waterfall-export-readme@@";
    private static final String CHECKOUT = "/opt/waterfall";

    @TempDir
    Path home;

    private static String readme() throws IOException {
        return Files.readString(Processes.repository().resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void readme_exportImportMigrateExamples_printWhatTheReadmeShows() throws Exception {
        List<List<ReadmeExamplesJarTest.Example>> blocks = ReadmeExamplesJarTest.consoleBlocks(ReadmeExamplesJarTest.section(readme(), SECTION));
        assertThat(blocks).hasSize(3);

        int examples = 0;
        for (List<ReadmeExamplesJarTest.Example> block : blocks) {
            StringBuilder script = new StringBuilder();
            for (ReadmeExamplesJarTest.Example example : block) {
                script.append(example.command()).append(" 2>&1\n").append("printf '%s\\n' '").append(MARK).append("'\n");
            }
            Processes.Result result = Processes.run(List.of("bash", "-c", script.toString()), Processes.repository(),
                    Processes.cleanEnvironment(home), Duration.ofMinutes(5));
            List<String> outputs = List.of(result.out().replace(home.toString(), "/home/me").split(MARK + "\n", -1));
            assertThat(outputs).as("one output per example\n" + result).hasSize(block.size() + 1);
            for (int i = 0; i < block.size(); i++) {
                ReadmeExamplesJarTest.Example example = block.get(i);
                List<String> lines = outputs.get(i).lines().toList();
                assertThat(lines).as("$ " + example.command() + "\n" + outputs.get(i)).hasSameSizeAs(example.expected());
                for (int line = 0; line < lines.size(); line++) {
                    assertThat(lines.get(line)).as("$ " + example.command() + ", line " + (line + 1))
                            .matches(ReadmeExamplesJarTest.pattern(example.expected().get(line)));
                }
                examples++;
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(14);
    }

    @Test
    void readme_systemdService_exportsAtOnceAndStopsCleanlyOnSigterm() throws Exception {
        String unit = block("export-systemd", "ini");
        assertThat(unit).contains("\nSuccessExitStatus=143\n");
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);
        assertThat(exec.find()).isTrue();
        String command = exec.group(1).replace(CHECKOUT, Processes.repository().toString()).replace("%h", home.toString());

        runUntilSigterm(List.of("bash", "-c", "exec " + command), home.resolve("service.log"));

        assertThat(dumps()).hasSize(1);
    }

    @Test
    void readme_cronLine_exportsOnceThenSkipsWhileUnchanged() throws Exception {
        String line = block("export-cron", "sh").strip();
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
    void readme_launchdAgent_exportsAtOnceAndStopsCleanlyOnSigterm() throws Exception {
        String plist = block("export-launchd", "xml");
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

    private static String block(String name, String language) throws IOException {
        String text = readme();
        int begin = text.indexOf("<!-- " + name + ":begin -->");
        int end = text.indexOf("<!-- " + name + ":end -->");
        assertThat(begin).as(name + " block in README.md").isNotNegative();
        String block = text.substring(begin, end);
        int start = block.indexOf("```" + language + "\n") + language.length() + 4;
        return block.substring(start, block.lastIndexOf("```"));
    }
}
