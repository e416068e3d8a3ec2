package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.contract.JavaProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real exporting processes, killed with SIGKILL and stopped with SIGTERM in the middle of a dump. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExportProcessTest {

    private static final int KEYS = 40_000;

    @TempDir
    Path dir;

    private ExportWorld world;
    private String uri;
    private ConfigStore store;
    private Path out;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
        uri = "json:" + dir.resolve("store/config.json");
        store = world.store(uri);
        store.apply(ExporterTest.manyKeys(KEYS));
        out = dir.resolve("exports");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void killDashNine_duringAnExport_leavesOnlyCompleteDumpsAndTheLatestPointerIntact() throws Exception {
        ExportResult previous = world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV));
        byte[] previousBytes = Files.readAllBytes(previous.dump());
        store.set(Key.of("changed"), Value.of("after the first dump"));
        Random random = new Random(20261126);

        for (int round = 0; round < 6; round++) {
            Process child = JavaProcess.start(ExportChild.class, "once", uri, out.toString(), "csv", "400");
            BlockingQueue<String> lines = pump(child);
            String line;
            do {
                line = lines.poll(120, TimeUnit.SECONDS);
                assertThat(line).as("round %d: the child reports progress", round).isNotNull();
            } while (!line.equals("progress 10000"));
            Thread.sleep(random.nextInt(round == 0 ? 1 : 600));
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            for (String name : ExportWorld.names(out)) {
                Path file = out.resolve(name);
                if (name.endsWith(".csv") && !name.startsWith(".")) {
                    assertThat(readRows(file)).as("round %d: %s is a complete dump", round, name).isIn((long) KEYS, KEYS + 1L);
                }
                if (name.endsWith("_meta.json")) {
                    ExportMeta meta = ExportMeta.read(file);
                    assertThat(sha256(out.resolve(meta.file()))).as("round %d: %s matches its dump", round, name).isEqualTo(meta.sha256());
                }
            }
            assertThat(Files.readAllBytes(out.resolve("latest_export.csv"))).as("round %d: latest_export is still the first dump", round)
                    .isEqualTo(previousBytes);
        }

        ExportResult next = world.exporter().export(store, ExportRequest.to(out, DumpFormat.CSV));
        assertThat(ExportWorld.names(out)).noneMatch(name -> name.endsWith(".tmp"));
        assertThat(readRows(next.latest())).isEqualTo(KEYS + 1);
    }

    @Test
    void sigterm_duringAScheduledExport_stopsCleanlyWithoutAPartialFile() throws Exception {
        Process child = JavaProcess.start(ExportChild.class, "schedule", uri, out.toString(), "csv", "2000");
        BlockingQueue<String> lines = pump(child);
        String line;
        do {
            line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line).as("the child reports progress").isNotNull();
        } while (!line.equals("progress 10000"));
        assertThat(ExportWorld.names(out)).anyMatch(name -> name.endsWith(".tmp"));

        sigterm(child);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        StringBuilder rest = new StringBuilder();
        for (String more = lines.poll(10, TimeUnit.SECONDS); more != null && !more.equals("<eof>"); more = lines.poll(10, TimeUnit.SECONDS)) {
            rest.append(more).append('\n');
        }
        assertThat(rest.toString()).contains("stopped").doesNotContain("exported").doesNotContain("Exception");
        assertThat(child.exitValue()).as("the JVM's exit status after SIGTERM").isEqualTo(143);
        assertThat(ExportWorld.names(out)).containsExactly(".waterfall-export.lock");
    }

    @Test
    void sigterm_whileAScheduleWaits_stopsAtOnceAfterCompleteDumps() throws Exception {
        Process child = JavaProcess.start(ExportChild.class, "schedule", uri, out.toString(), "ndjson", "0");
        BlockingQueue<String> lines = pump(child);
        String line;
        do {
            line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line).as("the child exports").isNotNull();
        } while (!line.equals("unchanged"));

        sigterm(child);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(ExportWorld.names(out)).noneMatch(name -> name.endsWith(".tmp"))
                .filteredOn(name -> name.endsWith("Z_config_export.ndjson")).hasSize(1);
        try (DumpReader reader = DumpReader.open(out.resolve("latest_export.ndjson"))) {
            long rows = 0;
            while (reader.hasNext()) {
                Entry entry = reader.next();
                rows++;
                assertThat(entry.updatedBy().surface()).isEqualTo("test");
            }
            assertThat(rows).isEqualTo(KEYS);
        }
    }

    /** Sends SIGTERM with kill(1): Process.destroy() would send it too, but also closes the child's output we still read. */
    static void sigterm(Process child) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static long readRows(Path file) {
        try (DumpReader reader = DumpReader.open(file)) {
            long rows = 0;
            while (reader.hasNext()) {
                reader.next();
                rows++;
            }
            return rows;
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The child's output lines, then "<eof>". */
    private static BlockingQueue<String> pump(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process died
            }
            lines.add("<eof>");
        });
        pump.setDaemon(true);
        pump.start();
        return lines;
    }

}
