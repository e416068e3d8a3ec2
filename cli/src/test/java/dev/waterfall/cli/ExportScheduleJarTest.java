package dev.waterfall.cli;

import dev.waterfall.config.Change;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code waterfall export --every} as a real process, stopped with SIGTERM in the middle of a dump. */
@Tag("packaged")
class ExportScheduleJarTest {

    private static final int KEYS = 400_000;

    @TempDir
    Path home;

    @Test
    void exportEvery_sigtermDuringADump_exitsLikeAServiceAndLeavesNoPartialFile() throws Exception {
        Path storeFile = home.resolve("big.json");
        try (Waterfall waterfall = Waterfall.builder("waterfall").store("json:" + storeFile).environment(Map.of()).home(home).open()) {
            List<Change> batch = new ArrayList<>(KEYS);
            for (int i = 0; i < KEYS; i++) {
                batch.add(Change.set(Key.of("k" + i), Value.of("value number " + i)));
            }
            waterfall.store().apply(batch);
        }
        // The dump must still be under way when the SIGTERM arrives. The process is frozen
        // (SIGSTOP) as soon as it reports its first rows, then looked at: a machine fast enough to
        // finish the dump in that moment makes the attempt inconclusive, never a pass, and it is
        // made again (each attempt a new process and an empty folder).
        List<String> inconclusive = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (sigtermDuringADump(storeFile, home.resolve("exports-" + attempt), home.resolve("export-" + attempt + ".log"))) {
                return;
            }
            inconclusive.add("attempt " + attempt + ": the dump was complete before the process could be frozen");
        }
        throw new AssertionError(String.join("\n", inconclusive));
    }

    /** One export process stopped with SIGTERM during its dump; false if the dump ended first. */
    private boolean sigtermDuringADump(Path storeFile, Path out, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName(),
                "--store", "json:" + storeFile, "export", "--dir", out.toString(), "--every", "1h", "--progress")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(Processes.cleanEnvironment(home));
        Process process = builder.start();
        try {
            Pattern progress = Pattern.compile("exporting ([0-9,]+) of");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            boolean started = false;
            while (!started && process.isAlive() && System.nanoTime() < deadline) {
                Matcher matcher = progress.matcher(Files.readString(log));
                while (matcher.find()) {
                    started |= Long.parseLong(matcher.group(1).replace(",", "")) < KEYS;
                }
                Thread.sleep(5);
            }
            assertThat(started).as("the export is under way:\n" + Files.readString(log)).isTrue();

            signal("-STOP", process);
            if (Files.readString(log).contains(" exported ")) {
                return false;
            }
            signal("-TERM", process);
            signal("-CONT", process);

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isEqualTo(143);
            assertThat(output).contains("waterfall: stopped").doesNotContain(" exported ").doesNotContain("Exception");
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.map(file -> file.getFileName().toString())).containsExactly(".waterfall-export.lock");
            }
            return true;
        } finally {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill " + signal).isZero();
    }
}
